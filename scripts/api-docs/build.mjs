#!/usr/bin/env node
// Builds the API reference of every publishable package with TypeDoc into .artifacts/api, and fails
// on an undocumented export, a broken {@link} or any other TypeDoc warning. The entry points are each
// package's `exports` (./dist/x.js becomes src/x.ts), so a new package or entry point is picked up.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { publishablePackages } from '../package-files.mjs';

const here = import.meta.dirname;
const root = join(here, '..', '..');
const work = join(root, '.artifacts', 'api-docs');
const started = Date.now();

const lock = readFileSync(join(here, 'package-lock.json'), 'utf8');
const stamp = join(here, 'node_modules', '.installed-lock');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lock) {
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: here,
    stdio: 'inherit',
  });
  if (install.status !== 0) process.exit(1);
  writeFileSync(stamp, lock);
}

/** The source file of each JS entry point a package exports. */
function entryPoints({ dir, manifest }) {
  const targets = Object.entries(manifest.exports ?? {})
    .filter(([key]) => key !== './package.json')
    .map(([, target]) => (typeof target === 'string' ? target : (target.import?.default ?? target.default)))
    .filter((target) => typeof target === 'string' && target.startsWith('./dist/'));
  return targets
    .map((target) => join(dir, target.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')))
    .filter((file) => existsSync(file));
}

const packages = publishablePackages();
const entries = packages.flatMap(entryPoints);
mkdirSync(work, { recursive: true });
const tsconfig = join(work, 'tsconfig.json');
writeFileSync(
  tsconfig,
  JSON.stringify(
    {
      extends: relative(work, join(root, 'tsconfig.base.json')),
      compilerOptions: { types: ['node'], noEmit: true, typeRoots: [join(root, 'node_modules', '@types')] },
      files: entries,
    },
    null,
    2,
  ),
);
// The front page: the packages and what each is (the root README links folders, which TypeDoc cannot copy).
const readme = join(work, 'README.md');
writeFileSync(
  readme,
  [
    '# authbridge API reference',
    '',
    'One `AuthProvider` interface over Magic, Picket, Pi Network and Toopher. Packages:',
    '',
    ...packages.map(({ manifest }) => `- \`${manifest.name}\`: ${manifest.description}`),
    '',
  ].join('\n'),
);
const config = join(work, 'typedoc.json');
writeFileSync(
  config,
  JSON.stringify(
    {
      name: 'authbridge',
      entryPoints: entries,
      entryPointStrategy: 'resolve',
      tsconfig,
      out: join(root, '.artifacts', 'api'),
      readme,
      // TypeDoc's own list, plus the SQL the PostgreSQL store documents.
      highlightLanguages: [
        'bash',
        'console',
        'css',
        'html',
        'javascript',
        'json',
        'jsonc',
        'json5',
        'yaml',
        'tsx',
        'typescript',
        'sql',
      ],
      // Source links point at the public repository whatever remote a clone has (CI clones a local path).
      disableGit: true,
      sourceLinkTemplate: 'https://github.com/authbridge/authbridge/blob/main/{path}#L{line}',
      basePath: root,
      excludePrivate: true,
      excludeInternal: true,
      treatWarningsAsErrors: true,
      // What a user imports must say what it is; members inherit the rule through their parent's page.
      requiredToBeDocumented: ['Function', 'Class', 'Interface', 'TypeAlias', 'Variable', 'Enum'],
      // TypeDoc checks only the project's own package by default; each of ours is one.
      packagesRequiringDocumentation: packages.map(({ manifest }) => manifest.name),
      validation: { notExported: false, invalidLink: true, rewrittenLink: true, notDocumented: true },
    },
    null,
    2,
  ),
);

console.log(
  `API reference of ${entries.length} entry points: ${entries.map((e) => relative(root, e)).join(', ')}`,
);
const result = spawnSync(join(here, 'node_modules', '.bin', 'typedoc'), ['--options', config], {
  cwd: root,
  stdio: 'inherit',
});
const seconds = ((Date.now() - started) / 1000).toFixed(0);
if (result.status !== 0) {
  console.error(
    `\nAPI reference: FAIL (${seconds} s): document every export and fix every broken link above.`,
  );
  process.exit(1);
}
console.log(`\nAPI reference: pass, written to .artifacts/api (${seconds} s)`);
