import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

const aNumber = expect.any(Number);

describe('npm run bench -- --json', () => {
  it('ends with one JSON object: ingest against floor and peer per case, bundle sizes and init, end to end p50/p99', async () => {
    const { stdout } = await run(
      process.execPath,
      ['-r', 'esbuild-register', 'bench/ingest.ts', '--json', '--quick', '--events=2'],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    const last = stdout.trimEnd().split('\n').pop() ?? '';
    const result = JSON.parse(last) as {
      ingest: {
        case: string;
        bytes: number;
        oursUs: number;
        floorUs: number;
        peerUs: number;
        relayUs: number;
      }[];
      bundles: { name: string; kb: number; initMs: number }[];
      e2e: { p50Ms: number; p99Ms: number };
    };

    expect(result.ingest.map((row) => row.case)).toEqual(['smallest', 'median', 'largest']);
    for (const row of result.ingest) {
      expect(row).toMatchObject({
        bytes: aNumber,
        oursUs: aNumber,
        floorUs: aNumber,
        peerUs: aNumber,
        relayUs: aNumber,
      });
      expect(Math.min(row.bytes, row.oursUs, row.floorUs, row.peerUs, row.relayUs)).toBeGreaterThan(0);
    }
    expect(result.ingest[0]?.bytes).toBeLessThan(result.ingest[1]?.bytes ?? 0);
    expect(result.ingest[1]?.bytes).toBeLessThan(result.ingest[2]?.bytes ?? 0);

    expect(result.bundles.map((bundle) => bundle.name)).toEqual(
      expect.arrayContaining(['sqs-only', 'sdk-clients', 'github', 'sender']),
    );
    for (const bundle of result.bundles) expect(Math.min(bundle.kb, bundle.initMs)).toBeGreaterThan(0);

    // a post reaches the Cliq stand-in only after the webhook was received, queued and polled
    expect(result.e2e.p50Ms).toBeGreaterThan(0);
    expect(result.e2e.p99Ms).toBeGreaterThanOrEqual(result.e2e.p50Ms);
  }, 60_000);
});
