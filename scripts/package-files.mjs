#!/usr/bin/env node
// Holds every publishable package under packages/ to what a tarball on npm needs: README, LICENSE (the
// root one), CHANGELOG, `files` naming them, `repository` with its directory, `homepage`, `bugs`,
// `keywords` and the MIT license. `--fix` writes what can be derived (LICENSE, a first CHANGELOG,
// repository, homepage, bugs, `files` entries); keywords and the README stay the package author's job.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPOSITORY = 'https://github.com/authbridge/authbridge';
const root = join(import.meta.dirname, '..');
const fix = process.argv.includes('--fix');
const license = readFileSync(join(root, 'LICENSE'), 'utf8');

/** The publishable packages: every `packages/*` whose package.json is not private. */
export function publishablePackages() {
  return readdirSync(join(root, 'packages'))
    .sort()
    .map((name) => ({ name, dir: join(root, 'packages', name) }))
    .filter(({ dir }) => existsSync(join(dir, 'package.json')))
    .map((entry) => ({
      ...entry,
      manifest: JSON.parse(readFileSync(join(entry.dir, 'package.json'), 'utf8')),
    }))
    .filter(({ manifest }) => !manifest.private);
}

/** What is missing or wrong in one package, fixing what can be derived when `fix` is set. */
function problemsOf({ name, dir, manifest }) {
  const problems = [];
  let changed = false;
  const want = (key, value) => {
    if (JSON.stringify(manifest[key]) === JSON.stringify(value)) return;
    if (fix) {
      manifest[key] = value;
      changed = true;
    } else problems.push(`package.json "${key}" should be ${JSON.stringify(value)}`);
  };
  want('repository', { type: 'git', url: `git+${REPOSITORY}.git`, directory: `packages/${name}` });
  want('homepage', `${REPOSITORY}/tree/main/packages/${name}#readme`);
  want('bugs', { url: `${REPOSITORY}/issues` });
  if (manifest.license !== 'MIT') problems.push('package.json "license" should be "MIT"');
  if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0)
    problems.push('package.json "keywords" is empty: list what a user would search npm for');
  const files = manifest.files ?? [];
  for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md']) {
    if (!files.includes(file)) {
      if (fix) {
        manifest.files = [...(manifest.files ?? []), file];
        changed = true;
      } else problems.push(`package.json "files" does not list ${file}`);
    }
  }
  if (!existsSync(join(dir, 'README.md'))) problems.push('README.md is missing');
  const licensePath = join(dir, 'LICENSE');
  if (!existsSync(licensePath) || readFileSync(licensePath, 'utf8') !== license) {
    if (fix) writeFileSync(licensePath, license);
    else problems.push('LICENSE is missing or differs from the root LICENSE');
  }
  const changelog = join(dir, 'CHANGELOG.md');
  if (!existsSync(changelog)) {
    if (fix) writeFileSync(changelog, `# ${manifest.name}\n\n## ${manifest.version}\n\nFirst release.\n`);
    else problems.push('CHANGELOG.md is missing (changesets writes it; start it by hand)');
  }
  if (changed) writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return problems;
}

if (import.meta.main ?? process.argv[1] === import.meta.filename) {
  let failed = 0;
  for (const pkg of publishablePackages()) {
    const problems = problemsOf(pkg);
    if (problems.length === 0) continue;
    failed += 1;
    console.error(`${pkg.manifest.name}:\n  ${problems.join('\n  ')}`);
  }
  if (failed > 0) {
    console.error(
      `\npackage files: ${failed} package(s) incomplete (node scripts/package-files.mjs --fix writes what it can).`,
    );
    process.exit(1);
  }
  console.log('package files: every publishable package has its README, LICENSE, CHANGELOG and metadata.');
}
