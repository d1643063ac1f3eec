/**
 * `npm run bench`: what ingest costs per event next to the floor any verifier pays (HMAC-SHA256 + JSON.parse of
 * the same bytes), bundle sizes and module init time next to an SQS-only bundle, and one 25 MB push. Every
 * comparison is a ratio measured in the same run, since absolute times on a shared machine are noisy.
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import examples from '@octokit/webhooks-examples';
import { buildSync } from 'esbuild';
import { fromApiGateway } from '../lib/http/request';
import { defaultDestinations } from '../lib/ingest/destinations';
import { createIngest } from '../lib/ingest/handle-webhook';
import type { Log } from '../lib/log';
import { loadRouting } from '../lib/routing/load';
import { github } from '../lib/sources/github/adapter';
import { signGithub } from '../lib/sources/github/verify';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
declare const __BENCH_ROOT__: string;
const ROOT = typeof __BENCH_ROOT__ === 'string' ? __BENCH_ROOT__ : join(__dirname, '..');
const SECRET = 'bench-secret';
const silent: Log = { debug() {}, info() {}, warn() {}, error() {} };

const ingest = createIngest({
  source: github,
  secrets: async () => ({
    GITHUB_WEBHOOK_SECRET: SECRET,
    ZOHO_CLIQ_WEBHOOK_URL: 'https://cliq.zoho.com/api/v2/channelsbyname/ops/message?zapikey=bench',
  }),
  destinations: defaultDestinations({ previewWhenUnset: false }),
  enqueue: async (messages) => ({ queued: messages.length }), // the SQS call is excluded
  maxBodyBytes: 32 * 1024 * 1024,
  now: () => new Date(),
  log: silent,
});

const request = (body: string) =>
  ({
    version: '2.0',
    routeKey: 'ANY /webhooks/github',
    rawPath: '/webhooks/github',
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': 'bench',
      'x-hub-signature-256': signGithub(body, SECRET),
    },
    body,
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST' } },
  }) as unknown as Parameters<typeof fromApiGateway>[0];

const floor = (body: string) => {
  const bytes = Buffer.from(body);
  createHmac('sha256', SECRET).update(bytes).digest('hex');
  return JSON.parse(bytes.toString('utf8'));
};

/** Median per-call time of `fn` over interleaved rounds, in microseconds. */
const timeRounds = async (fns: (() => unknown)[], targetMs = 1500, rounds = 9): Promise<number[]> => {
  for (const fn of fns) for (let i = 0; i < 500; i++) await fn(); // let the JIT settle before calibrating
  const start = performance.now();
  for (const fn of fns) for (let i = 0; i < 100; i++) await fn();
  const per = Math.max(0.001, (performance.now() - start) / 100 / fns.length);
  const iterations = Math.max(50, Math.round(targetMs / rounds / fns.length / per));
  const samples: number[][] = fns.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [index, fn] of fns.entries()) {
      const t0 = performance.now();
      for (let i = 0; i < iterations; i++) await fn();
      samples[index]?.push(((performance.now() - t0) * 1000) / iterations);
    }
  }
  return samples.map((s) => s.sort((a, b) => a - b)[Math.floor(s.length / 2)] ?? 0);
};

const pushes = examples
  .flatMap((entry) => entry.examples)
  .map((p) => JSON.stringify(p))
  .sort((a, b) => a.length - b.length);
const largestPush =
  (examples.find((e) => e.name === 'push')?.examples ?? [])
    .map((p) => JSON.stringify(p))
    .sort((a, b) => b.length - a.length)[0] ?? '{}';
const cases: [string, string][] = [
  ['smallest example', pushes[0] ?? '{}'],
  ['median example', pushes[Math.floor(pushes.length / 2)] ?? '{}'],
  ['largest push example', largestPush],
];

/** Built as serverless-esbuild builds the functions (esbuild.config.cjs), with the routing file baked in. */
const bundle = (entry: string, outfile: string) => {
  buildSync({
    define: {
      __VIGIL_ROUTING__: JSON.stringify(process.env.VIGIL_BENCH_ROUTING ?? ''),
      'process.env.VIGIL_ROUTING_BAKED': '"true"',
    },
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  return statSync(outfile).size;
};

/** What Lambda's environment gives the functions, so their configuration loads at init as in AWS. */
const LAMBDA_ENV = {
  PATH: process.env.PATH,
  AWS_REGION: 'us-east-1',
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/vigil-prod-events.fifo',
  DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/vigil-prod-events-dlq.fifo',
  VIGIL_SECRET_ID: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:vigil/prod',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const initMs = (file: string, runs = 15): number => {
  const times = Array.from({ length: runs }, () =>
    Number(
      execFileSync(
        process.execPath,
        [
          '-e',
          `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`,
        ],
        { env: LAMBDA_ENV },
      ).toString(),
    ),
  );
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? 0;
};

const bigPush = (): string => {
  const base = examples
    .find((e) => e.name === 'push')
    ?.examples.find((p) => (p as { ref: string }).ref === 'refs/heads/master') as Record<string, unknown>;
  const commit = ((base.commits as Record<string, unknown>[]) ?? [])[0] ?? {};
  const message = 'x'.repeat(12_000);
  const commits = Array.from({ length: 2048 }, (_, i) => ({
    ...commit,
    id: `${i}`.padStart(40, '0'),
    message: `commit ${i}\n${message}`,
  }));
  return JSON.stringify({ ...base, commits, created: false });
};

const measure = async () => {
  const lines = [
    '| ingest path (verify + parse + normalize + validate + serialize) | bytes | ours µs | floor µs | ratio |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const [name, body] of cases) {
    const event = request(body);
    const [ours = 0, base = 0] = await timeRounds([() => ingest(fromApiGateway(event)), () => floor(body)]);
    lines.push(
      `| ${name} | ${body.length} | ${ours.toFixed(1)} | ${base.toFixed(1)} | ${(ours / base).toFixed(2)}× |`,
    );
  }

  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  const sqsOnly = join(ROOT, 'bench', 'sqs-only.ts');
  const floorSize = bundle(sqsOnly, join(dir, 'sqs-only.js'));
  const floorInit = initMs(join(dir, 'sqs-only.js'));
  lines.push(
    '',
    '| bundle (esbuild, minified, node22) | size KB | init ms | init vs SQS-only |',
    '|---|---:|---:|---:|',
  );
  lines.push(
    `| SQS client only (reference) | ${(floorSize / 1024).toFixed(0)} | ${floorInit.toFixed(1)} | 1.00× |`,
  );
  for (const fn of ['github', 'sender', 'health']) {
    const out = join(dir, `${fn}.js`);
    const size = bundle(join(ROOT, 'functions', `${fn}.ts`), out);
    const init = initMs(out);
    lines.push(
      `| functions/${fn} | ${(size / 1024).toFixed(0)} | ${init.toFixed(1)} | ${(init / floorInit).toFixed(2)}× |`,
    );
  }

  const big = bigPush();
  const event = request(big);
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  const response = await ingest(fromApiGateway(event));
  const ms = performance.now() - t0;
  const t1 = performance.now();
  floor(big);
  const floorMs = performance.now() - t1;
  lines.push(
    '',
    `25 MB push (${(big.length / 1024 / 1024).toFixed(1)} MiB, 2048 commits): status ${response.statusCode}, ${ms.toFixed(0)} ms (floor ${floorMs.toFixed(0)} ms), ` +
      `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (RSS before ${(before / 1024 / 1024).toFixed(0)} MiB), queued message ${(JSON.parse(response.body ?? '{}') as { queued?: number }).queued ?? 0}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
};

/**
 * Measured as Lambda runs it: this file bundled by esbuild and run by plain node, not through the
 * esbuild-register require hook that `npm run` starts it with.
 */
if (process.env.VIGIL_BENCH_BUNDLED === '1') {
  void measure();
} else {
  // inside the repository, so the bundle still finds esbuild in node_modules
  const out = join(__dirname, '..', '.bench', 'bench.js');
  buildSync({
    entryPoints: [__filename],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: ['esbuild'],
    logLevel: 'silent',
    define: { __BENCH_ROOT__: JSON.stringify(join(__dirname, '..')) },
  });
  execFileSync(process.execPath, [out], {
    stdio: 'inherit',
    env: {
      ...process.env,
      VIGIL_BENCH_BUNDLED: '1',
      VIGIL_BENCH_ROUTING: JSON.stringify(loadRouting(process.env).config),
    },
  });
}
