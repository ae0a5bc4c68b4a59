import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = path.join(root, 'dist', 'cli', 'main.js');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything the process wrote, for assertions and failure messages. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
}

/**
 * Starts the built server (`node dist/cli/main.js serve`, what `npm start` runs) on a free port
 * and resolves once it is listening. `npm test` builds first.
 */
export async function startServerProcess(env: Record<string, string>, port = 0): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CLI, 'serve'], {
    // No drain unless a test asks for one: SIGTERM then stops at once, as these tests expect.
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'info',
      DRAIN_SECONDS: '0',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let startTimer: NodeJS.Timeout | undefined;
  const exited = new Promise<number | string>((resolve) =>
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const listening = new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+)[^\n]*agentcrm listening/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
    startTimer = setTimeout(() => {
      // Not left running behind a failed test.
      child.kill('SIGKILL');
      reject(new Error(`server did not start in 20 s:\n${output}`));
    }, 20_000);
    startTimer.unref();
  });
  // Cleared once listening: left armed, it killed (SIGKILL) every server still running 20 s after
  // its start, in the middle of whatever a slow test was doing with it.
  const actualPort = await listening.finally(() => clearTimeout(startTimer));
  return { child, port: actualPort, url: `http://127.0.0.1:${actualPort}`, output: () => output, exited };
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
