import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { countDeadLetters } from '../../tools/dlq/dead-letters';
import type { CliqStandIn } from '../../tools/harness/cliq-stand-in';
import { octokitExample, postGithub } from '../../tools/harness/github';

/**
 * Push number `n`: the same push with its own `after` sha, so each is a distinct delivery (a signed body
 * sent again under a new delivery id is a replay, which the ledger posts once).
 */
const pushNumber = (push: Record<string, unknown>, n: number) => ({
  ...push,
  after: `${String(push.after).slice(0, -4)}${String(n).padStart(4, '0')}`,
});

import type { LocalStack } from '../../tools/local/stack';
import { interruptedWalk } from '../helpers/interrupted-walk';
import { testStackWithCliq } from '../helpers/local-stack';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

describe('npm run dlq against the local stack', () => {
  let cliq: CliqStandIn;
  let stack: LocalStack;
  const dlq = async (...args: string[]) =>
    (
      await run(process.execPath, ['-r', 'esbuild-register', 'scripts/dlq.ts', ...args, '--json'], {
        cwd: ROOT,
        env: { ...process.env, SQS_PORT: String(new URL(stack.queues.endpoint).port) },
        timeout: 60_000,
      })
    ).stdout;

  beforeAll(async () => {
    ({ cliq, stack } = await testStackWithCliq({ CLIQ_POSTS_PER_MINUTE: '600', RETRY_BASE_SECONDS: '1' }));
    // Cliq refuses the first three posts outright: they are dead-lettered with the reason
    cliq.script(
      'ops',
      ...Array.from({ length: 3 }, () => ({
        status: 404,
        body: { code: 'channel_not_found', message: 'no such channel' },
      })),
    );
    const push = octokitExample('push', (p) => p.ref === 'refs/heads/master');
    const release = octokitExample('release');
    await postGithub(stack.url, pushNumber(push, 1), { delivery: 'dlq-1' });
    await postGithub(stack.url, pushNumber(push, 2), { delivery: 'dlq-2' });
    await postGithub(stack.url, release, { event: 'release', delivery: 'dlq-3' });
    await stack.waitForIdle();
  });
  afterAll(async () => {
    await stack.stop();
    await cliq.stop();
  });

  it('lists reasons, counts and ages, and each message', async () => {
    const { summary, letters } = JSON.parse(await dlq('list')) as {
      summary: { reason: string; count: number }[];
      letters: { id: string; kind: string; reason: string; status: string }[];
    };
    expect(summary).toEqual([
      expect.objectContaining({ reason: 'cliq_rejected (channel_not_found)', count: 3 }),
    ]);
    expect(letters.map((l) => l.kind).sort()).toEqual([
      'github.push',
      'github.push',
      'github.release.published',
    ]);
    expect(letters[0]).toMatchObject({ reason: 'cliq_rejected', status: '404' });
  }, 60_000);

  it('shows one message with its event', async () => {
    const { letters } = JSON.parse(await dlq('list')) as { letters: { id: string }[] };
    const shown = JSON.parse(await dlq('show', letters[0]?.id ?? '')) as {
      message: { event: { source: string } };
    };
    expect(shown.message.event.source).toBe('github');
  }, 60_000);

  it('redrives by kind, dry-run first, and the redriven messages are delivered once', async () => {
    // an interrupted walk left the first push twice: listed once, moved once, posted once
    const twice = await interruptedWalk(stack.queues.client, stack.queues.dlqUrl);
    expect(await countDeadLetters(stack.queues)).toBe(4);
    const listed = JSON.parse(await dlq('list')) as { letters: { id: string; kind: string }[] };
    expect(listed.letters.filter((letter) => letter.id === twice)).toEqual([
      expect.objectContaining({ kind: 'github.push' }),
    ]);
    expect(listed.letters).toHaveLength(3);

    const dry = JSON.parse(await dlq('redrive', '--dry-run', '--filter', 'github.push')) as {
      moved: unknown[];
      dryRun: boolean;
    };
    expect(dry).toMatchObject({ dryRun: true });
    expect(dry.moved).toHaveLength(2);
    expect(cliq.messages('ops')).toHaveLength(0);

    const moved = JSON.parse(await dlq('redrive', '--filter', 'github.push')) as { moved: unknown[] };
    expect(moved.moved).toHaveLength(2);
    await stack.waitForIdle();
    expect(cliq.messages('ops')).toHaveLength(2);

    const left = JSON.parse(await dlq('list')) as { letters: { kind: string }[] };
    expect(left.letters.map((l) => l.kind)).toEqual(['github.release.published']);
    expect(await countDeadLetters(stack.queues)).toBe(1);
    expect(cliq.messages('ops')).toHaveLength(2);
  }, 60_000);

  it('redrives everything with SQS’s move task', async () => {
    await dlq('redrive');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await stack.waitForIdle();
    expect(cliq.messages('ops')).toHaveLength(3);
    expect((JSON.parse(await dlq('list')) as { letters: unknown[] }).letters).toEqual([]);
  }, 60_000);
});

// Amazon SQS Developer Guide, "FIFO queue delivery logic": no more messages of a group are returned while
// some are in flight, and a group's head comes back first once visible again, so a FIFO DLQ read by plain
// receives shows at most ten messages per Cliq owner
describe('npm run dlq on a dead-letter queue with more than ten messages of one owner', () => {
  let cliq: CliqStandIn;
  let stack: LocalStack;
  const dlq = async (...args: string[]) =>
    JSON.parse(
      (
        await run(process.execPath, ['-r', 'esbuild-register', 'scripts/dlq.ts', ...args, '--json'], {
          cwd: ROOT,
          env: { ...process.env, SQS_PORT: String(new URL(stack.queues.endpoint).port) },
          timeout: 60_000,
        })
      ).stdout,
    );

  beforeAll(async () => {
    ({ cliq, stack } = await testStackWithCliq({ CLIQ_POSTS_PER_MINUTE: '600' }));
    cliq.script(
      'ops',
      ...Array.from({ length: 12 }, () => ({
        status: 404,
        body: { code: 'channel_not_found', message: 'no such channel' },
      })),
    );
    const push = octokitExample('push', (p) => p.ref === 'refs/heads/master');
    for (let n = 1; n <= 11; n++) await postGithub(stack.url, pushNumber(push, n), { delivery: `many-${n}` });
    // the twelfth, the only release, sits behind eleven pushes of the same owner
    await postGithub(stack.url, octokitExample('release'), { event: 'release', delivery: 'many-12' });
    await stack.waitForIdle();
    // a burst may go out in fewer posts than twelve (the outbox digests it): the channel is found again now
    cliq.unscript('ops');
  }, 60_000);
  afterAll(async () => {
    await stack.stop();
    await cliq.stop();
  });

  it('lists all twelve, in order, and again with the same ids; redrives the one behind the first ten', async () => {
    type Listed = { letters: { id: string; kind: string; groupId: string }[] };
    const first = (await dlq('list')) as Listed;
    expect(first.letters.map((letter) => letter.kind)).toEqual([
      ...Array.from({ length: 11 }, () => 'github.push'),
      'github.release.published',
    ]);
    expect(new Set(first.letters.map((letter) => letter.groupId)).size).toBe(1);
    expect(((await dlq('list')) as Listed).letters.map((letter) => letter.id)).toEqual(
      first.letters.map((letter) => letter.id),
    );

    const moved = (await dlq('redrive', '--filter', 'github.release.*')) as { moved: { id: string }[] };
    expect(moved.moved.map((letter) => letter.id)).toEqual([first.letters[11]?.id]);
    await stack.waitForIdle();
    expect(JSON.stringify(cliq.messages('ops'))).toContain('release');
    expect(((await dlq('list')) as Listed).letters.map((letter) => letter.id)).toEqual(
      first.letters.slice(0, 11).map((letter) => letter.id),
    );
  }, 120_000);
});
