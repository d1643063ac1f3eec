import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** The first of `names` found on PATH as an executable file, or undefined. */
export const findBinary = (...names: string[]): string | undefined => {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  }
  return undefined;
};

/**
 * A `describe` for tests that need programs installed from the OS. On a developer machine without them it
 * skips, saying what to install; under CI (CI=true) it never skips: a missing program fails the suite.
 */
export const describeWithPrograms = (
  title: string,
  programs: Readonly<Record<string, string | undefined>>,
  install: string,
  body: () => void,
): void => {
  const missing = Object.entries(programs)
    .filter(([, path]) => path === undefined)
    .map(([name]) => name);
  const why = `${missing.join(', ')} not installed (${install})`;
  if (missing.length === 0) {
    describe(title, body);
  } else if (process.env.CI === 'true') {
    describe(title, () => {
      it('has the programs it needs installed (CI never skips these tests)', () => {
        throw new Error(`${why}: .ci/run installs them before the tests`);
      });
    });
  } else {
    console.warn(`skipping "${title}": ${why}`);
    describe.skip(`${title} [skipped: ${why}]`, body);
  }
};

/** A free TCP port on 127.0.0.1, for a program that must be told its port. */
export const freeLoopbackPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

export interface Daemon {
  /** What it printed so far (the tail), to explain a failure. */
  output(): string;
  stop(): Promise<void>;
}

const exited = (child: ChildProcess, ms: number): Promise<boolean> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(true)
    : new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });

/** Starts a long-running program and waits until `readyUrl` answers 200; throws with its output if it does not. */
export const startDaemon = async (
  command: string,
  args: readonly string[],
  readyUrl: string,
  timeoutMs = 20_000,
): Promise<Daemon> => {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (error) => keep(Buffer.from(`\n${error.message}\n`)));
  const daemon: Daemon = {
    output: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      if (!(await exited(child, 5_000))) {
        child.kill('SIGKILL');
        await exited(child, 5_000);
      }
    },
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${command} exited before it was ready:\n${log}`);
    try {
      if ((await fetch(readyUrl)).ok) return daemon;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await daemon.stop();
      throw new Error(`${command} not ready at ${readyUrl} after ${timeoutMs} ms:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
