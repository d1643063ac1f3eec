import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { BURST_DEFAULTS, parseBurstArgs } from '../../bench/burst/args';
import { BURST_SECRET, burstWebhooks, MATRIX_JOBS } from '../../bench/burst/events';
import { tallyQueued } from '../../bench/burst/queued';
import { burstReport } from '../../bench/burst/report';
import { type BurstResult, percentile, tallyAnswers } from '../../bench/burst/run';
import { fromApiGateway } from '../../lib/http/request';
import { SOURCES } from '../../lib/sources/registry';

const burst = burstWebhooks(2000);

describe('parseBurstArgs', () => {
  it('is issue 20’s burst with --burst: 2,000 webhooks in 5 s over 64 connections', () => {
    expect(parseBurstArgs(['--quick', '--burst'])).toEqual(BURST_DEFAULTS);
    expect(BURST_DEFAULTS).toEqual({ webhooks: 2000, seconds: 5, connections: 64 });
  });

  it('is nothing without --burst, and takes a size, a pace and a connection count', () => {
    expect(parseBurstArgs(['--storm'])).toBeUndefined();
    expect(parseBurstArgs(['--burst=500', '--burst-seconds=2.5', '--burst-connections=8'])).toEqual({
      webhooks: 500,
      seconds: 2.5,
      connections: 8,
    });
  });

  it.each([
    [['--burst=0'], /whole number of webhooks/],
    [['--burst=lots'], /whole number of webhooks/],
    [['--burst', '--burst-seconds=0'], /--burst-seconds=S/],
    [['--burst', '--burst-connections=1.5'], /--burst-connections=C/],
  ])('says which flag to fix in %j', (args, problem) => {
    expect(parseBurstArgs(args)).toEqual({ problem: expect.stringMatching(problem) });
  });
});

describe('burstWebhooks', () => {
  it('is the workflow_job and check_run completions of fail-fast 256-job matrices: one failure and 255 cancelled per run', () => {
    expect(burst).toHaveLength(2000);
    const firstRun = burst.slice(0, 2 * MATRIX_JOBS);
    for (const event of ['workflow_job', 'check_run'] as const) {
      const payloads = firstRun.filter((w) => w.event === event).map((w) => JSON.parse(w.body)[event]);
      expect(payloads).toHaveLength(MATRIX_JOBS);
      expect(payloads.filter((p) => p.conclusion === 'failure')).toHaveLength(1);
      expect(payloads.filter((p) => p.conclusion === 'cancelled')).toHaveLength(MATRIX_JOBS - 1);
    }
    // the next run is another run: its own id
    expect(JSON.parse(burst[2 * MATRIX_JOBS]?.body ?? '{}').workflow_job.run_id).not.toBe(
      JSON.parse(burst[0]?.body ?? '{}').workflow_job.run_id,
    );
  });

  it('gives every webhook its own delivery id and body, and is the same burst every time', () => {
    expect(new Set(burst.map((w) => w.delivery)).size).toBe(2000);
    expect(new Set(burst.map((w) => w.body)).size).toBe(2000);
    expect(burstWebhooks(3).map((w) => w.delivery)).toEqual(burst.slice(0, 3).map((w) => w.delivery));
  });

  it('signs each as GitHub does, so ingest accepts it as a CI result of its delivery id', () => {
    const github = SOURCES.github;
    for (const webhook of burst.slice(0, 4).concat(burst.slice(-2))) {
      const request = fromApiGateway({
        rawPath: '/webhooks/github',
        headers: webhook.headers,
        body: webhook.body,
        isBase64Encoded: false,
        requestContext: { http: { method: 'POST', path: '/webhooks/github' } },
      } as unknown as APIGatewayProxyEventV2);
      const now = { now: new Date(), toleranceSeconds: 300 };
      expect(github.authenticate(request, { GITHUB_WEBHOOK_SECRET: BURST_SECRET }, now)).toEqual({
        ok: true,
        value: true,
      });
      expect(github.authenticate(request, { GITHUB_WEBHOOK_SECRET: 'another' }, now).ok).toBe(false);
      const accepted = github.accept(request, now.now.toISOString());
      if (!accepted.ok) throw accepted.error;
      expect(accepted.value.events).toEqual([
        expect.objectContaining({ id: webhook.delivery, kind: `github.${webhook.event}.completed` }),
      ]);
    }
  });
});

describe('the burst’s tallies', () => {
  it('counts 202 as accepted and 429 and 5xx as refused apart, with nearest-rank percentiles', () => {
    const answers = [
      ...Array.from({ length: 97 }, (_, i) => ({ status: 202, ms: i + 1 })),
      { status: 429, ms: 2 },
      { status: 503, ms: 900 },
      { status: 0, ms: 5 },
    ];
    expect(tallyAnswers(answers)).toEqual({
      accepted: 97,
      refused429: 1,
      refused5xx: 1,
      other: 1,
      // the 50th of 100 sorted: 1..97 with an extra 2 and 5 below it
      p50Ms: 48,
      p99Ms: 97,
      maxMs: 900,
    });
    expect(percentile([], 0.5)).toBe(0);
  });

  it('counts distinct delivery ids queued, duplicates, and what never reached the queue', () => {
    const queued = new Map([
      ['a', 1],
      ['b', 3],
      ['stray', 1],
    ]);
    expect(tallyQueued(['a', 'b', 'c'], queued)).toEqual({
      queued: 2,
      duplicates: 2,
      missing: ['c'],
      strangers: 1,
    });
  });

  const result: BurstResult = {
    webhooks: 2000,
    connections: 64,
    targetSeconds: 5,
    sendSeconds: 5.1,
    throttle: { rate: 1000, burst: 3000 },
    accepted: 2000,
    refused429: 0,
    refused5xx: 0,
    other: 0,
    p50Ms: 12,
    p99Ms: 80,
    maxMs: 120,
    queued: 2000,
    duplicates: 0,
    lost: 0,
    sqsThrottled: 0,
  };

  it('reports the goal met only with nothing refused, every event queued once and p99 under 1 s', () => {
    expect(burstReport(result)).toContain(
      '| 2000 | 5.1 | 2000 | 0 | 0 | 0 | 12 | 80 | 120 | 2000 | 0 | 0 | 0 |',
    );
    expect(burstReport(result)).toContain('goal met');
    const missed = burstReport({ ...result, accepted: 1800, refused429: 200, queued: 1800, p99Ms: 1500 });
    expect(missed).toContain('goal missed: 200 refused, 200 never queued, p99 1500 ms');
    expect(burstReport({ ...result, duplicates: 3 })).toContain('goal missed: 3 queued twice');
  });
});
