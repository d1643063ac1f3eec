import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerForwarder } from '../../tools/forwarder/docker-forwarder';
import { Spool } from '../../tools/forwarder/spool';
import { recordingLog } from '../helpers/log';

const spoolFile = () => join(mkdtempSync(join(tmpdir(), 'vigil-spool-')), 'docker-spool.jsonl');
const seqs = (spool: Spool) => spool.read().map((event) => (event as { seq: number }).seq);
const numbered = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ seq: from + i }));
/** `{"seq":N}\n` is 11 bytes for a one-digit N. */
const LINE_BYTES = `${JSON.stringify({ seq: 1 })}\n`.length;

describe('Spool', () => {
  it('drops the oldest events first when an append would go over the byte limit, and says how many', () => {
    const spool = new Spool(spoolFile(), { maxBytes: 5 * LINE_BYTES, maxEvents: 1000 });
    expect(spool.append(numbered(0, 4))).toEqual({ dropped: 0 });
    expect(spool.append(numbered(4, 3))).toEqual({ dropped: 2 });
    expect(seqs(spool)).toEqual([2, 3, 4, 5, 6]);
    expect(readFileSync(spool.path).length).toBe(5 * LINE_BYTES);
  });

  it('keeps at most the configured number of events, the newest', () => {
    const spool = new Spool(spoolFile(), { maxBytes: 1_000_000, maxEvents: 3 });
    spool.append(numbered(0, 2));
    expect(spool.append(numbered(2, 2))).toEqual({ dropped: 1 });
    expect(spool.append(numbered(4, 1))).toEqual({ dropped: 1 });
    expect(seqs(spool)).toEqual([2, 3, 4]);
    expect(spool.size).toBe(3);
  });

  it('counts what is already on disk when reopened, so the bound holds across restarts', () => {
    const path = spoolFile();
    new Spool(path).append(numbered(0, 3));
    const reopened = new Spool(path, { maxBytes: 1_000_000, maxEvents: 3 });
    expect(reopened.size).toBe(3);
    expect(reopened.append(numbered(3, 1))).toEqual({ dropped: 1 });
    expect(seqs(new Spool(path))).toEqual([1, 2, 3]);
  });

  it('drops an event too large for the whole spool instead of writing it', () => {
    const spool = new Spool(spoolFile(), { maxBytes: 3 * LINE_BYTES, maxEvents: 1000 });
    spool.append(numbered(0, 2));
    expect(spool.append([{ seq: 9, pad: 'x'.repeat(100) }])).toEqual({ dropped: 3 });
    expect(spool.size).toBe(0);
    expect(seqs(spool)).toEqual([]);
  });

  it('cuts a torn last line (a crash mid-append) and starts the next append on a fresh line', () => {
    const path = spoolFile();
    writeFileSync(path, `${JSON.stringify({ seq: 0 })}\n${JSON.stringify({ seq: 1 })}\n{"seq":2,"pa`);
    const spool = new Spool(path);
    expect(spool.tornBytes).toBe('{"seq":2,"pa'.length);
    expect(seqs(spool)).toEqual([0, 1]);
    spool.append(numbered(3, 1));
    expect(seqs(new Spool(path))).toEqual([0, 1, 3]);
    expect(readFileSync(path, 'utf8')).toBe(`{"seq":0}\n{"seq":1}\n{"seq":3}\n`);
  });

  it('replaces its content with what a partial replay left, and removes the file when nothing is', () => {
    const path = spoolFile();
    const spool = new Spool(path);
    spool.append(numbered(0, 4));
    spool.replace(numbered(2, 2));
    expect(seqs(new Spool(path))).toEqual([2, 3]);
    spool.replace([]);
    expect(spool.size).toBe(0);
    expect(() => readFileSync(path)).toThrow(/ENOENT/);
  });

  it('skips a corrupt line in the middle but keeps the events around it', () => {
    const path = spoolFile();
    appendFileSync(path, '{"seq":0}\nnot json\n{"seq":1}\n');
    expect(seqs(new Spool(path))).toEqual([0, 1]);
  });
});

describe('DockerForwarder with a full spool', () => {
  it('reports and loudly logs how many of the oldest events the spool dropped', async () => {
    const recorder = recordingLog();
    const spool = new Spool(spoolFile(), { maxBytes: 1_000_000, maxEvents: 3 });
    const forwarder = new DockerForwarder({
      url: 'http://vigil.invalid/webhooks/docker',
      token: 't',
      host: 'h',
      spool,
      log: recorder.log,
      attempts: 1,
      fetch: async () => new Response('down', { status: 503 }),
    });
    for (let i = 0; i < 5; i++) {
      forwarder.push(JSON.stringify({ Type: 'container', Action: 'oom', Actor: { ID: `c${i}` }, time: i }));
    }
    const stats = await forwarder.close();
    expect(stats).toMatchObject({ spooled: 5, spoolDropped: 2, sent: 0 });
    expect(spool.read().map((event) => (event as { Actor: { ID: string } }).Actor.ID)).toEqual([
      'c2',
      'c3',
      'c4',
    ]);
    const dropLine = recorder.lines.find(
      (line) => line.level === 'error' && /spool is full/.test(line.message),
    );
    expect(dropLine?.extra[0]).toMatchObject({ dropped: 2, droppedSinceStart: 2, maxEvents: 3 });
  });
});
