import * as v from 'valibot';
import type { OutboxStore } from '../state/outbox-store';
import { Chunk, emptyHead, type OutboxEntry, OutboxHead } from './entry';

/**
 * A chunk's JSON stays under this many characters: DynamoDB's item limit is 400 KB, and a queued body (at
 * most 256 KiB) escaped into JSON can grow, so a large body goes alone into its own chunk.
 */
export const CHUNK_CHARS = 300_000;
const HEAD = 'head';

export interface Outbox {
  readonly head: OutboxHead;
  /** Every waiting entry, in arrival order. */
  readonly entries: readonly OutboxEntry[];
  /** The chunks as read, to reuse those unchanged at the next save. */
  readonly stored: ReadonlyMap<string, readonly OutboxEntry[]>;
}

const parse = <S extends v.GenericSchema>(
  schema: S,
  text: string | undefined,
): v.InferOutput<S> | undefined => {
  if (text === undefined) return undefined;
  const parsed = v.safeParse(schema, JSON.parse(text));
  return parsed.success ? parsed.output : undefined;
};

/**
 * Reads an owner's outbox. A part that does not parse is a broken table and throws (the batch is retried,
 * nothing is dropped); chunks the head does not list (left by a save that crashed) are ignored.
 */
export const loadOutbox = async (store: OutboxStore, owner: string): Promise<Outbox> => {
  const parts = await store.readOutbox(owner);
  const head = parse(OutboxHead, parts.get(HEAD)) ?? emptyHead();
  const stored = new Map<string, readonly OutboxEntry[]>();
  const entries: OutboxEntry[] = [];
  for (const name of head.chunks) {
    const chunk = parse(Chunk, parts.get(name));
    if (chunk === undefined) throw new Error(`outbox of ${owner}: chunk ${name} is missing or broken`);
    stored.set(name, chunk.entries);
    entries.push(...chunk.entries);
  }
  return { head, entries, stored };
};

const same = (a: readonly OutboxEntry[], b: readonly OutboxEntry[]) =>
  JSON.stringify(a) === JSON.stringify(b);

/** Packs entries, in order, into chunks of at most CHUNK_CHARS (one entry alone when it is larger). */
const pack = (entries: readonly OutboxEntry[]): OutboxEntry[][] => {
  const chunks: OutboxEntry[][] = [];
  let current: OutboxEntry[] = [];
  let size = 0;
  for (const entry of entries) {
    const length = JSON.stringify(entry).length + 1;
    if (current.length > 0 && size + length > CHUNK_CHARS) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(entry);
    size += length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};

/** When the owner's first waiting event may go out (epoch ms). */
export const dueAt = (head: OutboxHead, entries: readonly OutboxEntry[]): number => {
  const first = Math.min(...entries.map((entry) => entry.notBefore ?? 0));
  return Math.max(first, head.retryAt ?? 0, head.lockedUntil ?? 0);
};

/**
 * Writes `entries` as the owner's outbox. Chunks read unchanged are kept; the rest are written under new
 * names before the head that lists them, and the old ones deleted after: a crash at any point leaves a head
 * whose chunks are all whole (the old outbox or the new), and the ledger stops an event of the old one
 * from posting twice. The index the scheduled tick reads never says less is waiting than the head does.
 */
export const saveOutbox = async (
  store: OutboxStore,
  owner: string,
  before: Outbox,
  head: Omit<OutboxHead, 'chunks' | 'generation'>,
  entries: readonly OutboxEntry[],
): Promise<Outbox> => {
  const generation = before.head.generation + 1;
  const remaining = new Map(entries.map((entry) => [entry.seq, entry]));
  const names: string[] = [];
  const stored = new Map<string, readonly OutboxEntry[]>();
  let loose: OutboxEntry[] = [];
  const writeLoose = async () => {
    for (const chunk of pack(loose)) {
      const name = `g${generation}-${names.length}`;
      await store.writeOutboxPart(owner, name, JSON.stringify({ v: 1, entries: chunk }));
      names.push(name);
      stored.set(name, chunk);
    }
    loose = [];
  };
  const kept = new Set<string>();
  for (const [name, chunk] of before.stored) {
    const now = chunk
      .map((entry) => remaining.get(entry.seq))
      .filter((e): e is OutboxEntry => e !== undefined);
    for (const entry of chunk) remaining.delete(entry.seq);
    if (now.length === chunk.length && same(now, chunk)) {
      await writeLoose();
      names.push(name);
      stored.set(name, chunk);
      kept.add(name);
    } else {
      loose.push(...now);
    }
  }
  // what arrived since the read goes last, after any small chunk it can join
  const last = names.at(-1);
  const lastChunk = last === undefined ? undefined : stored.get(last);
  if (loose.length === 0 && last !== undefined && lastChunk !== undefined && remaining.size > 0) {
    if (JSON.stringify(lastChunk).length < CHUNK_CHARS / 2) {
      names.pop();
      stored.delete(last);
      kept.delete(last);
      loose.push(...lastChunk);
    }
  }
  loose.push(...[...remaining.values()].sort((a, b) => a.seq - b.seq));
  await writeLoose();
  const next: OutboxHead = { ...head, v: 1, generation, chunks: names };
  const all = names.flatMap((name) => stored.get(name) ?? []);
  // the index says "waiting" before the head does, and "nothing" only after: should a write fail between
  // them (and the record that brought the events end in the DLQ), a tick finds an empty outbox, which costs
  // one read, rather than events waiting where no tick will ever look
  if (all.length > 0) await store.markWaiting(owner, { count: all.length, dueAt: dueAt(next, all) });
  await store.writeOutboxPart(owner, HEAD, JSON.stringify(next));
  if (all.length === 0) await store.markWaiting(owner, undefined);
  for (const name of before.stored.keys()) if (!kept.has(name)) await store.deleteOutboxPart(owner, name);
  return { head: next, entries: all, stored };
};
