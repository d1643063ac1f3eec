import { type ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spool } from '../../tools/forwarder/spool';

const ROOT = join(__dirname, '..', '..');
/** Large events, so that writing one takes long enough to be caught in the middle. */
const PAD_BYTES = 1_000_000;
const ROUNDS = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a process appending numbered events to the spool in a tight loop, once it has opened the spool. */
const startWriter = async (path: string): Promise<ChildProcess> => {
  const child = spawn(
    process.execPath,
    ['-r', 'esbuild-register', 'tests/helpers/spool-writer.ts', path, String(PAD_BYTES)],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the spool writer stopped early (code ${code})`)));
  });
  return child;
};

const sizeOf = (path: string) => (existsSync(path) ? statSync(path).size : 0);

/**
 * Once the writer has appended a whole event, watches the end of the file and sends SIGKILL while an
 * append is under way (the file does not end in a newline), or at an arbitrary point if it never sees one.
 */
const killMidWrite = async (child: ChildProcess, path: string, from: number) => {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  while (sizeOf(path) < from + PAD_BYTES + 100) await sleep(5);
  const fd = openSync(path, 'r');
  const last = Buffer.alloc(1);
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline) {
    const size = fstatSync(fd).size;
    if (readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a) break;
  }
  child.kill('SIGKILL');
  closeSync(fd);
  await exited;
};

/** The events on disk as complete lines, and whether a torn line follows them. */
const onDisk = (path: string) => {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const pieces = text.split('\n');
  const torn = pieces.pop() !== '';
  const seq = (line: string) => {
    try {
      return (JSON.parse(line) as { seq: number }).seq;
    } catch {
      return -1; // a line that is not an event: two appends ran into each other
    }
  };
  return { complete: pieces.map(seq), torn };
};

describe('Spool, appended to by a process killed mid-write', () => {
  it('keeps every complete event across kills and loses at most the torn line of each', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vigil-spool-crash-')), 'docker-spool.jsonl');
    let expected = 0;
    let tornRounds = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const writer = await startWriter(path);
      await killMidWrite(writer, path, sizeOf(path));

      const { complete, torn } = onDisk(path);
      tornRounds += torn ? 1 : 0;
      // consecutive from 0 and all parseable: the writer restarted on a torn spool lost nothing complete
      expect(complete.length).toBeGreaterThan(expected);
      expect(complete).toEqual(Array.from({ length: complete.length }, (_, i) => i));
      expected = complete.length;
    }
    const spool = new Spool(path);
    expect(spool.read().map((event) => (event as { seq: number }).seq)).toEqual(onDisk(path).complete);
    expect(onDisk(path).torn).toBe(false);
    // the kills above must have caught at least one append half-written, or this test proved nothing
    expect(tornRounds).toBeGreaterThan(0);
  }, 60_000);
});
