/**
 * `npm run bench`: what Vigil costs, each number next to a reference measured in the same run, since absolute
 * times on a shared machine are noisy:
 * - ingest: the packaged github handler (SendMessageBatch answered in process) against the floor any verifier
 *   pays (HMAC-SHA256 + JSON.parse of the same bytes), against @octokit/webhooks' verifyAndReceive, and against
 *   the least a relay that also queues a message pays;
 * - bundles: size and module init of every function, built as `serverless package` builds them, against a
 *   bundle of the SQS client alone and a bundle of the three SDK clients the sender needs;
 * - end to end: webhook sent → Cliq post received on the local stack, with no backlog;
 * - with `--storm`, a storm (issue 18): 600 webhooks at once against Cliq's 20 posts a minute (bench/storm);
 * - with `--burst`, a burst (issue 20): 2,000 signed GitHub webhooks in about 5 s over 64 connections against
 *   the local stack with API Gateway's throttle and the FIFO queue's call quota modelled (bench/burst).
 *
 * Flags: `--json` ends the output with one JSON line; `--quick` takes few samples and only the bundles the goals name (a smoke run);
 * `--events=N` sets the end-to-end count; `--profile` attributes the handler's CPU time to stages;
 * `--storm` (or `--storm=N`, the storm N times over) adds the storm, which runs about 3 minutes per 1× and
 * stops waiting after `--storm-cap=S` seconds (600); `--quick` does not shorten it. `--burst` (or `--burst=N`
 * webhooks) adds the burst, paced over `--burst-seconds=S` (5) on `--burst-connections=C` (64).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundle, bundlePeer, bundleScript, OUT, ROOT } from './build';
import { parseBurstArgs } from './burst/args';
import { burstReport } from './burst/report';
import { type BurstResult, runBurst } from './burst/run';
import { CLIQ_URL, SECRET } from './cases';
import { type EndToEnd, measureEndToEnd, POLL_SCAN_MS } from './e2e';
import { initSamples, LAMBDA_ENV } from './init-time';
import { type Attribution, attribute, type CpuProfile } from './profile';
import { stormReport } from './storm/report';
import { runStorm, type StormResult } from './storm/run';
import { median, type Rounds } from './timing';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const asJson = args.includes('--json');
const profiling = args.includes('--profile');
const events = Number(args.find((a) => a.startsWith('--events='))?.split('=')[1] ?? (quick ? 3 : 200));
const stormArg = args.find((a) => a === '--storm' || a.startsWith('--storm='));
const storm = stormArg === undefined ? undefined : Number(stormArg.split('=')[1] ?? 1);
const stormCapSeconds = Number(args.find((a) => a.startsWith('--storm-cap='))?.split('=')[1] ?? 600);
const usage = (problem: string) => {
  process.stderr.write(`${problem}\n`);
  process.exit(2);
};
if (storm !== undefined && !(Number.isInteger(storm) && storm >= 1))
  usage(`${stormArg}: the storm's scale must be a whole number of at least 1 (--storm=2 is twice the storm)`);
if (!(stormCapSeconds > 0)) usage('--storm-cap=S: S must be a number of seconds above 0');
const burstArgs = parseBurstArgs(args);
if (burstArgs !== undefined && 'problem' in burstArgs) usage(burstArgs.problem);
const burst = burstArgs !== undefined && !('problem' in burstArgs) ? burstArgs : undefined;

const ROUNDS: Rounds = quick
  ? { warmup: 50, targetMs: 60, rounds: 3 }
  : { warmup: 500, targetMs: 2400, rounds: 9 };
const INIT_RUNS = quick ? 3 : 21;

interface IngestRow {
  readonly case: string;
  readonly event: string;
  readonly bytes: number;
  readonly oursUs: number;
  readonly floorUs: number;
  readonly peerUs: number;
  /** The least a relay that verifies, parses and queues one message pays (bench/ingest-worker.ts `relayFloor`). */
  readonly relayUs: number;
  /** The same handler with Lambda's default INFO logs and EMF metrics on (written to /dev/null). */
  readonly oursLoggedUs: number;
}

const runWorker = (extraEnv: Record<string, string>, stdout: 'ignore' | 'inherit' = 'ignore') => {
  execFileSync(process.execPath, [join(OUT, 'ingest-worker.js')], {
    stdio: ['ignore', stdout, 'inherit'],
    env: {
      ...LAMBDA_ENV,
      VIGIL_SECRET_ID: '', // secrets from the environment: the Secrets Manager call is not what is timed
      GITHUB_WEBHOOK_SECRET: SECRET,
      ZOHO_CLIQ_WEBHOOK_URL: CLIQ_URL,
      BENCH_ROUNDS: JSON.stringify(ROUNDS),
      ...extraEnv,
    },
  });
};

const QUIET = { POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true' };
const AS_DEPLOYED = { POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_METRICS_DISABLED: 'false' };

const measureIngest = async (): Promise<IngestRow[]> => {
  const fn = join(OUT, 'github-timed.js');
  await bundle(join(ROOT, 'functions', 'github.ts'), fn, { noQueueNetwork: true });
  const run = (mode: Record<string, string>) => {
    const result = join(OUT, `ingest-${process.pid}.json`);
    runWorker({ ...mode, BENCH_FUNCTION: fn, BENCH_PEER: join(OUT, 'peer.js'), BENCH_RESULT: result });
    const rows = JSON.parse(readFileSync(result, 'utf8')) as Omit<IngestRow, 'oursLoggedUs'>[];
    rmSync(result);
    return rows;
  };
  const quiet = run(QUIET);
  const logged = run(AS_DEPLOYED);
  return quiet.map((row, i) => ({ ...row, oursLoggedUs: logged[i]?.oursUs ?? 0 }));
};

const profileIngest = async (): Promise<Attribution> => {
  const fn = join(OUT, 'github-readable.js');
  await bundle(join(ROOT, 'functions', 'github.ts'), fn, { noQueueNetwork: true, readable: true });
  const file = join(OUT, `ingest-${process.pid}.cpuprofile`);
  runWorker({ ...QUIET, BENCH_FUNCTION: fn, BENCH_PROFILE: file, BENCH_PROFILE_MS: quick ? '300' : '4000' });
  const recorded = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  rmSync(file);
  return attribute(recorded, fn);
};

interface BundleRow {
  readonly name: string;
  readonly kb: number;
  readonly initMs: number;
  /** The fastest of the runs: what the code costs when nothing else on the machine got in the way. */
  readonly initMinMs: number;
}

const measureBundles = async (): Promise<BundleRow[]> => {
  const entries: [string, string][] = [
    ['sqs-only', join(ROOT, 'bench', 'sqs-only.ts')],
    ['sdk-clients', join(ROOT, 'bench', 'sdk-clients.ts')],
    ...readdirSync(join(ROOT, 'functions'))
      .filter((file) => file.endsWith('.ts'))
      // a quick run builds only the bundles the goals name
      .filter((file) => !quick || ['github.ts', 'sender.ts'].includes(file))
      .sort()
      .map((file): [string, string] => [file.replace(/\.ts$/, ''), join(ROOT, 'functions', file)]),
  ];
  const built: { name: string; out: string; kb: number }[] = [];
  for (const [name, entry] of entries) {
    const out = join(OUT, 'functions', `${name}.js`);
    const bytes = await bundle(entry, out);
    built.push({ name, out, kb: Math.round(bytes / 102.4) / 10 });
  }
  // round-robin, one process per bundle per round: a slow spell on the shared machine lands on every bundle
  const samples = initSamples(
    built.map((b) => b.out),
    INIT_RUNS,
  );
  const rows: BundleRow[] = built.map((b, i) => ({
    name: b.name,
    kb: b.kb,
    initMs: median(samples[i] ?? []),
    initMinMs: Math.min(...(samples[i] ?? [])),
  }));
  return rows;
};

const fixed = (n: number, digits = 1) => n.toFixed(digits);
const times = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

const report = (ingest: IngestRow[], bundles: BundleRow[], e2e: EndToEnd, profile?: Attribution): string => {
  const lines = [
    '| ingest (github handler as packaged, no network) | event | bytes | ours µs | floor µs | peer µs | relay floor µs | ours/floor | ours/peer | ours/relay floor | with INFO logs + metrics µs |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...ingest.map(
      (r) =>
        `| ${r.case} | ${r.event} | ${r.bytes} | ${fixed(r.oursUs)} | ${fixed(r.floorUs)} | ${fixed(r.peerUs)} | ${fixed(r.relayUs)} | ${times(r.oursUs, r.floorUs)} | ${times(r.oursUs, r.peerUs)} | ${times(r.oursUs, r.relayUs)} | ${fixed(r.oursLoggedUs)} |`,
    ),
    '',
    `| bundle (esbuild.config.cjs options) | KB | init ms (median of ${INIT_RUNS} processes) | init vs sqs-only | init vs sdk-clients | fastest init ms | fastest vs sqs-only |`,
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  const reference = bundles.find((b) => b.name === 'sqs-only')?.initMs ?? 1;
  const clients = bundles.find((b) => b.name === 'sdk-clients')?.initMs ?? 1;
  const fastestReference = bundles.find((b) => b.name === 'sqs-only')?.initMinMs ?? 1;
  for (const b of bundles)
    lines.push(
      `| ${b.name} | ${b.kb} | ${fixed(b.initMs)} | ${times(b.initMs, reference)} | ${times(b.initMs, clients)} | ${fixed(b.initMinMs)} | ${times(b.initMinMs, fastestReference)} |`,
    );
  lines.push(
    '',
    `end to end (webhook sent → Cliq post received, local stack, ${e2e.events} events one at a time): ` +
      `p50 ${fixed(e2e.p50Ms)} ms, p99 ${fixed(e2e.p99Ms)} ms (min ${fixed(e2e.minMs)}, max ${fixed(e2e.maxMs)}); ` +
      `202 answered at p50 ${fixed(e2e.acceptedP50Ms)} ms, p99 ${fixed(e2e.acceptedP99Ms)} ms; ` +
      `a long poll answers a waiting message within ${POLL_SCAN_MS} ms, as SQS does`,
  );
  if (profile) {
    lines.push(
      '',
      `| stage (median case, self time of ${fixed(profile.totalMs, 0)} ms sampled) | share |`,
      '|---|---:|',
    );
    for (const s of profile.stages) lines.push(`| ${s.stage} | ${(s.share * 100).toFixed(1)}% |`);
    lines.push('', '| hottest functions | share |', '|---|---:|');
    for (const f of profile.functions.slice(0, 15))
      lines.push(`| ${f.fn} | ${(f.share * 100).toFixed(1)}% |`);
  }
  return lines.join('\n');
};

const main = async () => {
  mkdirSync(join(OUT, 'functions'), { recursive: true });
  bundleScript(join(__dirname, 'ingest-worker.ts'), join(OUT, 'ingest-worker.js'));
  bundlePeer(join(OUT, 'peer.js'));
  const ingest = await measureIngest();
  const profile = profiling ? await profileIngest() : undefined;
  const bundles = await measureBundles();
  const e2e = await measureEndToEnd(events);
  process.stdout.write(`${report(ingest, bundles, e2e, profile)}\n`);
  const stormed: StormResult | undefined =
    storm === undefined ? undefined : await runStorm(storm, stormCapSeconds);
  if (stormed) process.stdout.write(`\n${stormReport(stormed)}\n`);
  const burstResult: BurstResult | undefined = burst === undefined ? undefined : await runBurst(burst);
  if (burstResult) process.stdout.write(`\n${burstReport(burstResult)}\n`);
  if (asJson) {
    // every field of a row, its numbers to one decimal
    const rounded = (row: object) =>
      Object.fromEntries(
        Object.entries(row).map(([key, value]) => [
          key,
          typeof value === 'number' ? Math.round(value * 10) / 10 : value,
        ]),
      );
    const json = {
      ingest: ingest.map(rounded),
      bundles: bundles.map(rounded),
      e2e: rounded(e2e),
      ...(profile ? { profile: { stages: profile.stages } } : {}),
      ...(stormed ? { storm: rounded(stormed) } : {}),
      ...(burstResult ? { burst: rounded(burstResult) } : {}),
      quick,
    };
    process.stdout.write(`${JSON.stringify(json)}\n`);
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
