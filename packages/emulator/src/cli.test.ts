import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const children: ChildProcess[] = [];

const run = (...args: string[]): ChildProcess => {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: 'pipe' });
  children.push(child);
  return child;
};

const freePort = async (): Promise<number> => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
};

const outputOf = (child: ChildProcess, until: RegExp): Promise<string> =>
  new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (until.test(text)) resolve(text);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing ${until}: ${text}`)));
  });

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

describe('authbridge-emulator CLI', () => {
  it('listens on the --port it is given, serves every provider, and stops on SIGTERM', async () => {
    const port = await freePort();
    const child = run('--port', String(port));
    const printed = await outputOf(child, /toopher/);
    expect(printed).toContain(`listening on http://127.0.0.1:${port}`);
    const fixtures = await (await fetch(`http://127.0.0.1:${port}/__emulator/fixtures`)).json();
    expect(Object.keys(fixtures as object).sort()).toEqual([
      'echo',
      'evm',
      'magic',
      'pi',
      'picket',
      'toopher',
    ]);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('accepts the `--` that `pnpm emulator -- --port N` passes on', async () => {
    const port = await freePort();
    const child = run('--', '--port', String(port), '--providers', 'echo');
    const printed = await outputOf(child, /echo\s+http/);
    expect(printed).toContain(`listening on http://127.0.0.1:${port}`);
  });

  it('mounts only the --providers listed', async () => {
    const port = await freePort();
    const child = run('--port', String(port), '--providers', 'pi');
    await outputOf(child, /pi\s+http/);
    const fixtures = await (await fetch(`http://127.0.0.1:${port}/__emulator/fixtures`)).json();
    expect(Object.keys(fixtures as object)).toEqual(['pi']);
  });

  it('refuses a port that is not a number, with usage and exit status 2', async () => {
    const child = run('--port', 'eighty');
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(errors).toContain("--port must be a port number, got 'eighty'");
    expect(errors).toContain('Usage: authbridge-emulator');
  });
});
