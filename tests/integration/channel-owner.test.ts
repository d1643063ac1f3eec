import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliqStandIn } from '../../tools/harness/cliq-stand-in';
import type { LocalStack } from '../../tools/local/stack';
import { testStack } from '../helpers/local-stack';

/*
 * Zoho Cliq limits posts per user, not per token or channel (shared/specs/zoho-cliq.md, "Rate limit"), and one
 * user may hold several tokens. Two channels whose URLs carry different tokens of one user must therefore be
 * paced as one budget: with `owner:` set on both, no two posts across them are closer than one spacing.
 */

const POSTS_PER_MINUTE = 120;
const SPACING_MS = 60_000 / POSTS_PER_MINUTE;
/**
 * The stand-in stamps a post when it answers, so a busy machine may shift one post by some latency: that
 * shortens one gap and lengthens the next. Two consecutive gaps together are immune to one late stamp.
 */
const JITTER_MS = 150;

/** Time spanned by each three consecutive posts. */
const pairsOfGaps = (gaps: readonly number[]): number[] =>
  gaps.slice(1).map((gap, index) => gap + (gaps[index] ?? 0));

const sample = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'events', 'alertmanager', 'firing.json'), 'utf8'),
) as { headers: Record<string, string>; body: string };

/** A distinct firing alert group each time, so neither SQS nor the sender takes it for a repeat. */
const alertGroup = (n: number): string => {
  const body = JSON.parse(sample.body) as Record<string, unknown> & { alerts: Record<string, unknown>[] };
  body.groupKey = `{}:{alertname="Owner${n}"}`;
  body.alerts = body.alerts.map((alert) => ({
    ...alert,
    labels: { ...(alert.labels as object), alertname: `Owner${n}` },
    fingerprint: `f00d${n}`,
  }));
  body.commonLabels = { ...(body.commonLabels as object), alertname: `Owner${n}` };
  return JSON.stringify(body);
};

const postsAcross = async (channels: string): Promise<number[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-owner-'));
  const config = join(dir, 'vigil.config.yaml');
  writeFileSync(
    config,
    `default: default\nchannels:\n${channels}routes:\n  - { name: both, to: [default, dev] }\n`,
  );
  const cliq = await new CliqStandIn().start();
  let stack: LocalStack | undefined;
  try {
    stack = await testStack({
      VIGIL_CONFIG: config,
      ZOHO_CLIQ_WEBHOOK_URL: cliq.channelUrl('ops', 'token-of-alice-1'),
      CLIQ_URL_DEV: cliq.channelUrl('dev', 'token-of-alice-2'),
      CLIQ_POSTS_PER_MINUTE: String(POSTS_PER_MINUTE),
      RETRY_BASE_SECONDS: '1',
    });
    for (const n of [1, 2, 3]) {
      const response = await fetch(`${stack.url}/webhooks/alertmanager`, {
        method: 'POST',
        headers: sample.headers,
        body: alertGroup(n),
      });
      expect(response.status).toBe(202);
    }
    await stack.waitForIdle();
    // each alert group opens a conversation: Cliq answers 200 with its message id
    expect(cliq.attempts.map((attempt) => attempt.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(new Set(cliq.attempts.map((attempt) => attempt.channel))).toEqual(new Set(['ops', 'dev']));
    const times = cliq.attempts.map((attempt) => attempt.at).sort((a, b) => a - b);
    return times.slice(1).map((at, index) => at - (times[index] ?? at));
  } finally {
    await stack?.stop();
    await cliq.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

describe('channels of one Cliq user share one rate budget', () => {
  it('spaces posts across two channels with different tokens but one owner as one budget', async () => {
    const gaps = await postsAcross('  default: { owner: alice }\n  dev: { owner: alice }\n');
    expect(Math.min(...pairsOfGaps(gaps))).toBeGreaterThanOrEqual(2 * SPACING_MS - JITTER_MS);
  }, 60_000);

  it('without owner, paces each token on its own (posts to the two channels may be back to back)', async () => {
    const gaps = await postsAcross('  default: {}\n  dev: {}\n');
    expect(Math.min(...pairsOfGaps(gaps))).toBeLessThan(2 * SPACING_MS - JITTER_MS);
  }, 60_000);
});
