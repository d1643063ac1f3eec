/**
 * `npm run soak -- [--minutes 10] [--rate 1] [--seed 1]` (not part of npm test)
 * The chaos run at real clocks: the local stack with Cliq's real budget (CLIQ_POSTS_PER_MINUTE, 20) and its
 * 10-minute lock, a Cliq stand-in that enforces that budget and misbehaves now and then, and a steady stream
 * of events (with bursts) over two tokens for --minutes. Then it waits for the queue to drain and prints
 * posts per minute per token (the busiest 60 s window), digests, the worst delivery latency, and lost events.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { listDeadLetters } from '../tools/dlq/dead-letters';
import { ChaosCliq, seeded } from '../tools/harness/chaos-cliq';
import { octokitExample, postGithub } from '../tools/harness/github';
import { startLocalStack } from '../tools/local/stack';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
  },
});
const minutes = Number(values.minutes);
const rate = Number(values.rate);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

const main = async () => {
  const chaos = await new ChaosCliq({
    seed: Number(values.seed),
    limit: 20,
    windowMs: 60_000,
    lockMs: 600_000,
    p503: 0.03,
    pTimeout: 0.01,
    pReset: 0.01,
    p429: 0.005,
    hangMs: 15_000,
  }).start();
  const config = join(mkdtempSync(join(tmpdir(), 'vigil-soak-')), 'vigil.config.yaml');
  writeFileSync(
    config,
    'default: drop\nchannels: { a: {}, b: {}, c: {} }\nroutes:\n  - { name: api, match: { repository: acme/api }, to: a }\n  - { name: web, match: { repository: acme/web }, to: b }\n  - { name: jobs, match: { repository: acme/jobs }, to: c }\n',
  );
  const stack = await startLocalStack({
    port: 0,
    sqsPort: 0,
    log: quiet,
    env: {
      VIGIL_CONFIG: config,
      CLIQ_URL_A: chaos.channelUrl('a', 'token-1'),
      CLIQ_URL_B: chaos.channelUrl('b', 'token-1'),
      CLIQ_URL_C: chaos.channelUrl('c', 'token-2'),
    },
  });
  const template = octokitExample('issues', (p) => p.action === 'opened');
  const random = seeded(Number(values.seed) + 1);
  const sentAt = new Map<number, number>();
  const repos = ['api', 'web', 'jobs'];
  const end = Date.now() + minutes * 60_000;
  let n = 0;
  process.stdout.write(
    `soak: ${minutes} min at ~${rate} event/s with bursts, Cliq budget 20/min per token\n`,
  );
  while (Date.now() < end) {
    // now and then a storm: twenty events at once (a failing deploy, a flapping service)
    const burst = random() < 0.02 ? 20 : 1;
    for (let i = 0; i < burst; i++, n++) {
      const repo = repos[n % repos.length] ?? 'api';
      const payload = {
        ...template,
        issue: { ...(template.issue as object), number: n, title: `soak ${n}` },
        repository: { ...(template.repository as object), full_name: `acme/${repo}` },
      };
      sentAt.set(n, Date.now());
      await postGithub(stack.url, payload, { event: 'issues', delivery: `soak-${n}` });
    }
    await new Promise((resolve) => setTimeout(resolve, 1000 / rate));
  }
  process.stdout.write(`sent ${n} events; waiting for the queue to drain…\n`);
  await stack.waitForIdle(60 * 60_000);

  const deliveredAt = new Map<number, number>();
  for (const delivery of chaos.deliveries) {
    for (const match of JSON.stringify(delivery.body).matchAll(/soak (\d+)\b/g))
      if (!deliveredAt.has(Number(match[1]))) deliveredAt.set(Number(match[1]), delivery.at);
  }
  const dead = (await listDeadLetters(stack.queues)).length;
  const perToken = new Map<string, number[]>();
  for (const delivery of chaos.deliveries)
    perToken.set(delivery.token, [...(perToken.get(delivery.token) ?? []), delivery.at]);
  const busiest = (times: number[]) =>
    Math.max(0, ...times.map((start) => times.filter((t) => t >= start && t < start + 60_000).length));
  const latencies = [...deliveredAt].map(([event, at]) => at - (sentAt.get(event) ?? at));
  const digests = chaos.deliveries.filter((d) => JSON.stringify(d.body).includes('📋 Digest')).length;
  const report = {
    events: n,
    posts: chaos.deliveries.length,
    digests,
    busiestMinutePerToken: Object.fromEntries([...perToken].map(([token, times]) => [token, busiest(times)])),
    lockTrips: chaos.lockTrips.length,
    maxLatencySeconds: Math.round(Math.max(0, ...latencies) / 1000),
    deadLettered: dead,
    lost: n - deliveredAt.size - dead,
    cliqAnswers: chaos.answered,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  await stack.stop();
  await chaos.stop();
  process.exit(report.lost === 0 && report.lockTrips === 0 ? 0 : 1);
};

void main();
