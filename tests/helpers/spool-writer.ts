/**
 * `node -r esbuild-register tests/helpers/spool-writer.ts FILE PAD_BYTES`: appends numbered events to the
 * spool at FILE, one per append, as fast as it can until it is killed. It continues the numbering from the
 * last event already in the spool, so numbers stay consecutive only if no complete event was ever lost.
 */
import { Spool } from '../../tools/forwarder/spool';

const [path, padBytes] = process.argv.slice(2);
if (path === undefined) throw new Error('usage: spool-writer FILE PAD_BYTES');
const spool = new Spool(path, { maxBytes: Number.MAX_SAFE_INTEGER, maxEvents: Number.MAX_SAFE_INTEGER });
const last = spool.read().at(-1) as { seq?: number } | undefined;
const pad = 'x'.repeat(Number(padBytes ?? 1_000_000));
process.stdout.write(`${JSON.stringify({ tornBytes: spool.tornBytes })}\n`);
for (let seq = (last?.seq ?? -1) + 1; ; seq++) spool.append([{ seq, pad }]);
