import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listDeadLetters } from '../../tools/dlq/dead-letters';
import { ChaosCliq } from '../../tools/harness/chaos-cliq';
import { octokitExample, postGithub } from '../../tools/harness/github';
import { testStack } from '../helpers/local-stack';

const EVENTS = 500;
const REPOS = ['one', 'two', 'three', 'four'] as const;
const CHANNELS_OF: Record<(typeof REPOS)[number], string[]> = {
  one: ['ch1'],
  two: ['ch2'],
  three: ['ch3'],
  four: ['ch1', 'ch3'],
};

const CONFIG = `
default: drop
channels: { ch1: {}, ch2: {}, ch3: {} }
routes:
  - { name: one, match: { repository: acme/one }, to: ch1 }
  - { name: two, match: { repository: acme/two }, to: ch2 }
  - { name: three, match: { repository: acme/three }, to: ch3 }
  - { name: four fans out, match: { repository: acme/four }, to: [ch1, ch3] }
`;

/**
 * The event numbers a message carries, in the order it lists them (a card names its event more than once),
 * leaving out the line naming the message a channel post follows up.
 */
const numbersIn = (message: unknown): number[] => {
  const { text, ...rest } = message as { text?: string };
  const own = (text ?? '')
    .split('\n')
    .filter((line) => !line.startsWith('↪'))
    .join('\n');
  return [
    ...new Set([...JSON.stringify({ own, ...rest }).matchAll(/storm (\d+)\b/g)].map((m) => Number(m[1]))),
  ];
};

describe('chaos: 500 events, three channels, two tokens, a hostile Cliq, threads on', () => {
  it('delivers every event exactly once or dead-letters it with a reason, keeps each channel’s order, and never trips Cliq’s lock by pacing', async () => {
    const chaos = await new ChaosCliq({
      seed: 7,
      limit: 600,
      windowMs: 60_000,
      lockMs: 2000,
      // the outbox sends a burst in few cards, so each card meets a hostile Cliq more often
      p503: 0.2,
      pTimeout: 0.1,
      pReset: 0.1,
      p429: 0.1,
      hangMs: 800,
    }).start();
    const config = join(mkdtempSync(join(tmpdir(), 'vigil-chaos-')), 'vigil.config.yaml');
    writeFileSync(config, CONFIG);
    // threads on: the ledger and conversations, with thread calls failing like any other
    const stack = await testStack({
      VIGIL_CONFIG: config,
      CLIQ_URL_CH1: chaos.channelUrl('ch1', 'token-a'),
      CLIQ_URL_CH2: chaos.channelUrl('ch2', 'token-a'),
      CLIQ_URL_CH3: chaos.channelUrl('ch3', 'token-b'),
      ZOHO_CLIQ_WEBHOOK_URL: chaos.channelUrl('unused', 'token-a'),
      CLIQ_POSTS_PER_MINUTE: '600',
      DIGEST_AFTER: '3',
      CLIQ_TIMEOUT_MS: '300',
      RETRY_BASE_SECONDS: '1',
      RETRY_MAX_SECONDS: '2',
      CLIQ_LOCK_SECONDS: '2',
    });
    try {
      const template = octokitExample('issues', (p) => p.action === 'opened');
      const expected = new Map<string, number[]>([
        ['ch1', []],
        ['ch2', []],
        ['ch3', []],
      ]);
      for (let n = 0; n < EVENTS; n++) {
        const repo = REPOS[n % REPOS.length] ?? 'one';
        const payload = {
          ...template,
          issue: {
            ...(template.issue as object),
            // a few issues, each with many events: later ones reply in their issue's thread
            number: n % 40,
            title: `storm ${n}`,
            html_url: `https://github.com/acme/${repo}/issues/${n}`,
          },
          repository: {
            ...(template.repository as object),
            full_name: `acme/${repo}`,
            html_url: `https://github.com/acme/${repo}`,
          },
        };
        const response = await postGithub(stack.url, payload, { event: 'issues', delivery: `chaos-${n}` });
        expect(response.status).toBe(202);
        for (const channel of CHANNELS_OF[repo]) expected.get(channel)?.push(n);
      }
      await stack.waitForIdle(150_000);

      const dead = new Map<string, number[]>();
      for (const letter of await listDeadLetters(stack.queues)) {
        expect(letter.reason).toEqual(expect.any(String));
        dead.set(letter.channel, [...(dead.get(letter.channel) ?? []), ...numbersIn(letter.body)]);
      }

      // this Cliq fails only transiently: with production's maxReceiveCount no event runs out of receives
      expect([...dead.values()].flat()).toEqual([]);

      let digests = 0;
      for (const [channel, numbers] of expected) {
        const messages = chaos.delivered.get(channel) ?? [];
        digests += messages.filter((message) => JSON.stringify(message).includes('📋 Digest')).length;
        const delivered = messages.flatMap(numbersIn);
        // exactly once: no event twice in a channel, and every event delivered or dead-lettered
        expect(new Set(delivered).size).toBe(delivered.length);
        expect([...delivered, ...(dead.get(channel) ?? [])].sort((a, b) => a - b)).toEqual(numbers);
        // order kept per channel: each message's events come after the previous message's, and within a
        // digest (grouped by repository) each repository's events are in order
        const perMessage = messages.map(numbersIn);
        perMessage.forEach((numbersOfMessage, index) => {
          const previous = perMessage[index - 1];
          if (previous !== undefined && previous.length > 0 && numbersOfMessage.length > 0) {
            expect(Math.min(...numbersOfMessage)).toBeGreaterThan(Math.max(...previous));
          }
        });
        for (const repo of [0, 1, 2, 3]) {
          const ofRepo = delivered.filter((n) => n % 4 === repo);
          expect(ofRepo).toEqual([...ofRepo].sort((a, b) => a - b));
        }
      }
      expect(chaos.lockTrips).toEqual([]);
      // the run really was hostile, and digests took over the backlog
      const failures = Object.entries(chaos.answered).filter(([answer]) => answer !== '200');
      expect(failures.length).toBeGreaterThanOrEqual(2);
      expect(failures.reduce((sum, [, count]) => sum + count, 0)).toBeGreaterThanOrEqual(4);
      // a burst waits in the outbox and goes out in digests (threads are the conversations tests' subject)
      expect(digests).toBeGreaterThan(0);
      expect(chaos.delivered.get('unused')).toBeUndefined();
    } finally {
      await stack.stop();
      await chaos.stop();
    }
  }, 240_000);
});
