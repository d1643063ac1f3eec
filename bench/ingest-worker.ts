/**
 * Runs in its own plain-node process with a Lambda-like environment: times the packaged github handler, the
 * floor and the peer on each case and writes the numbers to BENCH_RESULT as JSON. With BENCH_PROFILE it
 * instead records a CPU profile of the handler on one case (BENCH_PROFILE_CASE, default median).
 */
import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { signGithub } from '../lib/sources/github/verify';
import { apiGatewayEvent, cases, SECRET } from './cases';
import { type Rounds, timeRounds } from './timing';

type Handler = (event: unknown) => Promise<{ statusCode?: number; body?: string }>;
interface PeerModule {
  Webhooks: new (options: {
    secret: string;
  }) => {
    on(name: string, handler: () => void): void;
    verifyAndReceive(event: { id: string; name: string; payload: string; signature: string }): Promise<void>;
  };
}

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

/** What any verifier of a GitHub delivery pays: HMAC-SHA256 of the bytes and JSON.parse of them. */
const floor = (body: string) => {
  const bytes = Buffer.from(body);
  createHmac('sha256', SECRET).update(bytes).digest('hex');
  return JSON.parse(bytes.toString('utf8'));
};

/**
 * The least a relay that verifies a GitHub delivery and queues it pays, beyond the floor: a constant-time
 * compare, one small message (a few fields of the payload) serialized, a SHA-256 deduplication id, the
 * SendMessageBatch command, and the JSON answer. No normalizing, schema, routing or logs: what is left of
 * Vigil's time above this is those.
 */
const relayFloor = (body: string, headers: Readonly<Record<string, string>>) => {
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`);
  const given = Buffer.from(headers['x-hub-signature-256'] ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('signature');
  const payload = JSON.parse(body) as { action?: string; repository?: { full_name?: string } };
  const id = headers['x-github-delivery'] ?? '';
  const message = JSON.stringify({
    v: 1,
    channel: 'ops',
    event: {
      id,
      source: 'github',
      kind: `${headers['x-github-event']}.${payload.action ?? ''}`,
      title: payload.repository?.full_name ?? '',
      receivedAt: new Date().toISOString(),
    },
  });
  const command = new SendMessageBatchCommand({
    QueueUrl: env('QUEUE_URL'),
    Entries: [
      {
        Id: '0',
        MessageBody: message,
        MessageGroupId: 'ops',
        MessageDeduplicationId: hash('sha256', `github\n${id}\nops`, 'hex'),
      },
    ],
  });
  return { statusCode: 202, body: JSON.stringify({ ok: true, queued: command.input.Entries?.length }) };
};

const loadHandler = async (): Promise<Handler> => {
  const { handler } = require(env('BENCH_FUNCTION')) as { handler: Handler };
  return handler;
};

const checkAccepted = async (handler: Handler, event: unknown, name: string) => {
  const response = await handler(event);
  if (response.statusCode !== 202)
    throw new Error(`the handler answered ${response.statusCode} to the ${name} case: ${response.body}`);
};

const measure = async () => {
  const handler = await loadHandler();
  const { Webhooks } = require(env('BENCH_PEER')) as PeerModule;
  const rounds = JSON.parse(env('BENCH_ROUNDS')) as Rounds;
  const results = [];
  for (const c of cases()) {
    const event = apiGatewayEvent(c);
    await checkAccepted(handler, event, c.case);
    const peer = new Webhooks({ secret: SECRET });
    peer.on(c.event, () => undefined);
    const delivery = { id: 'bench', name: c.event, payload: c.body, signature: signGithub(c.body, SECRET) };
    await peer.verifyAndReceive(delivery);
    relayFloor(c.body, event.headers);
    const [oursUs = 0, floorUs = 0, peerUs = 0, relayUs = 0] = await timeRounds(
      [
        () => handler(event),
        () => floor(c.body),
        () => peer.verifyAndReceive(delivery),
        () => relayFloor(c.body, event.headers),
      ],
      rounds,
    );
    results.push({
      case: c.case,
      event: c.event,
      bytes: Buffer.byteLength(c.body),
      oursUs,
      floorUs,
      peerUs,
      relayUs,
    });
  }
  writeFileSync(env('BENCH_RESULT'), JSON.stringify(results));
};

const profile = async () => {
  const handler = await loadHandler();
  const name = process.env.BENCH_PROFILE_CASE ?? 'median';
  const profiled = cases().find((c) => c.case === name);
  if (profiled === undefined) throw new Error(`no ${name} case`);
  const event = apiGatewayEvent(profiled);
  await checkAccepted(handler, event, name);
  for (let i = 0; i < 2000; i++) await handler(event);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  await session.post('Profiler.start');
  const until = performance.now() + Number(process.env.BENCH_PROFILE_MS ?? 3000);
  while (performance.now() < until) for (let i = 0; i < 100; i++) await handler(event);
  const { profile: recorded } = await session.post('Profiler.stop');
  session.disconnect();
  writeFileSync(env('BENCH_PROFILE'), JSON.stringify(recorded));
};

(process.env.BENCH_PROFILE ? profile() : measure()).catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
