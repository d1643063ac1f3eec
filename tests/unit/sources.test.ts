import { createHmac } from 'node:crypto';
import * as v from 'valibot';
import { fitMessage } from '../../lib/cliq/fit';
import { VigilEvent } from '../../lib/event/model';
import { parseQueuedMessage } from '../../lib/queue/queued-message';
import { formatEvent } from '../../lib/sources/events';
import { SOURCE_NAMES } from '../../lib/sources/registry';
import { sentrySamples } from '../../lib/sources/sentry/samples';
import { cliqViolations } from '../../tools/harness/cliq-stand-in';
import { corpus, NO_CORPUS } from '../../tools/harness/corpus';
import { ingestFor } from '../helpers/ingest';
import { DEV_SECRET, sourceEvent } from '../helpers/sources';

const lower = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

/** Every queued message validates against the event schema and formats within Cliq's limits. */
const expectDeliverable = (bodies: readonly string[]) => {
  for (const body of bodies) {
    const parsed = parseQueuedMessage(body);
    expect(parsed.ok ? 'valid' : parsed.error).toBe('valid');
    if (!parsed.ok) continue;
    expect(v.safeParse(VigilEvent, parsed.value.event).success).toBe(true);
    expect(cliqViolations(fitMessage(formatEvent(parsed.value.event)))).toEqual([]);
  }
};

const events = (bodies: readonly { body: string }[]) =>
  bodies.map((message) => {
    const parsed = parseQueuedMessage(message.body);
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.value.event;
  });

// GitHub's corpus has its own suite (github-events.test.ts)
describe.each(
  SOURCE_NAMES.filter((source) => source !== 'github').map((source) => [source, source] as const),
)('the %s corpus', (folder, source) => {
  const files = corpus(folder);
  const run =
    files.length > 0
      ? it.each(files)
      : it.skip.each([[NO_CORPUS, Buffer.from(''), {}]] as [string, Buffer, Record<string, string>][]);
  run(
    '%s is accepted, normalizes, validates and formats within Cliq limits',
    async (file, bytes, headers) => {
      const { call, queued } = ingestFor(source);
      const legacy = source === 'sentry' && file.startsWith('legacy_plugin');
      const response = await call(
        sourceEvent(legacy ? 'sentry-legacy' : source, bytes, {
          headers: {
            ...lower(headers),
            'sentry-hook-resource': lower(headers)['sentry-hook-resource'] ?? '',
          },
        }),
      );
      expect([200, 202]).toContain(response.status);
      expectDeliverable(queued.map((m) => m.body));
    },
  );
});

const read = (folder: string, file: string): Buffer => {
  const found = corpus(folder).find(([name]) => name === file);
  if (found === undefined) throw new Error(`${folder}/${file} not in the corpus`);
  return found[1];
};
const hasCorpus = corpus('sentry').length > 0;
const withCorpus = hasCorpus ? describe : describe.skip;

withCorpus('Sentry', () => {
  it('verifies the exact bytes of a body with \\u-escaped non-ASCII, which re-serialized JSON would not match', async () => {
    const body = Buffer.from(
      '{"action":"created","data":{"issue":{"title":"Caf\\u00e9 \\u2603 crashed","level":"error","project":{"slug":"web"}}},"installation":{"uuid":"x"}}',
    );
    expect(JSON.stringify(JSON.parse(body.toString()))).not.toBe(body.toString());
    const { call, queued } = ingestFor('sentry');
    expect((await call(sourceEvent('sentry', body))).status).toBe(202);
    expect(events(queued)[0]?.title).toContain('Café ☃ crashed');
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    const signedOther = createHmac('sha256', DEV_SECRET).update(reserialized).digest('hex');
    expect(
      (await call(sourceEvent('sentry', body, { headers: { 'sentry-hook-signature': signedOther } }))).status,
    ).toBe(401);
  });

  it('acknowledges an installation without posting', async () => {
    const { call, queued } = ingestFor('sentry');
    const response = await call(
      sourceEvent('sentry', read('sentry', 'installation__created_docs.json'), {
        headers: { 'sentry-hook-resource': 'installation' },
      }),
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      note: expect.stringMatching(/^installation created /),
    });
    expect(queued).toEqual([]);
  });

  it('acknowledges an installation whose action is not a plain word without echoing it', async () => {
    const payload = JSON.parse(read('sentry', 'installation__created_docs.json').toString('utf8')) as Record<
      string,
      unknown
    >;
    for (const action of [{ toString: 1 }, 'x'.repeat(5000), ['created']]) {
      const { call, queued } = ingestFor('sentry');
      const response = await call(
        sourceEvent('sentry', JSON.stringify({ ...payload, action }), {
          headers: { 'sentry-hook-resource': 'installation' },
        }),
      );
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        note: 'installation event acknowledged; nothing is posted',
      });
      expect(queued).toEqual([]);
    }
  });

  it('deduplicates a signed delivery on its signed body: a redelivery and a replay under a new Request-ID are one event', async () => {
    const { call, queued } = ingestFor('sentry');
    const body = read('sentry', 'issue__created_docs.json');
    await call(sourceEvent('sentry', body, { headers: { 'request-id': 'b'.repeat(32) } }));
    await call(sourceEvent('sentry', body, { headers: { 'request-id': 'b'.repeat(32) } }));
    await call(sourceEvent('sentry', body, { headers: { 'request-id': 'c'.repeat(32) } }));
    await call(
      sourceEvent('sentry', read('sentry', 'issue__resolved.json'), {
        headers: { 'request-id': 'b'.repeat(32) },
      }),
    );
    expect(queued[1]?.deduplicationId).toBe(queued[0]?.deduplicationId);
    expect(queued[2]?.deduplicationId).toBe(queued[0]?.deduplicationId);
    expect(queued[3]?.deduplicationId).not.toBe(queued[0]?.deduplicationId);
    const [first, , replay] = events(queued);
    expect(first?.identity).toMatch(/^sentry:sha256:[0-9a-f]{64}$/);
    expect(replay?.identity).toBe(first?.identity);
    // the id stays Sentry's, as logs show it
    expect(replay?.id).toBe(`sentry:${'c'.repeat(32)}`);
  });

  it("keeps Request-ID as the identity of the legacy plugin's token-authenticated deliveries, which prove no body", async () => {
    const { call, queued } = ingestFor('sentry');
    const body = read('sentry', 'legacy_plugin__sample_event.json');
    await call(sourceEvent('sentry-legacy', body, { headers: { 'request-id': 'b'.repeat(32) } }));
    await call(sourceEvent('sentry-legacy', body, { headers: { 'request-id': 'c'.repeat(32) } }));
    expect(events(queued)[0]?.identity).toBeUndefined();
    expect(queued[1]?.deduplicationId).not.toBe(queued[0]?.deduplicationId);
  });

  describe('Sentry-Hook-Timestamp', () => {
    // ingestFor's clock: 2026-11-23T12:00:00Z
    const NOW = Date.parse('2026-11-23T12:00:00Z') / 1000;
    // the repository's own sample, so the clock checks run without the corpus too
    const body = Buffer.from(JSON.stringify(sentrySamples.payloads[0]?.payload));
    const at = (seconds: number) => ({ headers: { 'sentry-hook-timestamp': String(seconds) } });

    it.each([
      ['behind', -3600],
      ['ahead of', 3600],
    ])('refuses a timestamp an hour %s this server with 401 naming the difference', async (_, offset) => {
      const { call, queued } = ingestFor('sentry');
      const response = await call(sourceEvent('sentry', body, at(NOW + offset)));
      expect(response.status).toBe(401);
      expect(response.body.message).toMatch(
        /^Sentry-Hook-Timestamp is 3600 s from this server's clock \(allowed: 300 s\): /,
      );
      expect(queued).toEqual([]);
    });

    it('refuses the timestamp from 2001 a replay carried', async () => {
      const { call } = ingestFor('sentry');
      const response = await call(sourceEvent('sentry', body, at(1_000_000_000)));
      expect(response.body.message).toMatch(/^Sentry-Hook-Timestamp is 795435200 s from this server's clock/);
    });

    it.each([0, 300, -300, 299.5])('accepts a timestamp %p s from now', async (offset) => {
      const { call } = ingestFor('sentry');
      expect((await call(sourceEvent('sentry', body, at(NOW + offset)))).status).toBe(202);
    });

    it('refuses a timestamp that is not Unix seconds', async () => {
      const { call } = ingestFor('sentry');
      const response = await call(
        sourceEvent('sentry', body, { headers: { 'sentry-hook-timestamp': '2026-11-23T12:00:00Z' } }),
      );
      expect(response.status).toBe(401);
      expect(response.body.message).toMatch(/^Sentry-Hook-Timestamp must be Unix time in seconds/);
    });

    it('takes its tolerance from the ingest (WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS)', async () => {
      const { call } = ingestFor('sentry', { timestampToleranceSeconds: 3600 });
      expect((await call(sourceEvent('sentry', body, at(NOW - 3600)))).status).toBe(202);
      const late = await call(sourceEvent('sentry', body, at(NOW - 3601)));
      expect(late.body.message).toMatch(/3601 s from this server's clock \(allowed: 3600 s\)/);
    });

    it('is checked only once the signature matches, so an unsigned caller learns nothing of the clock', async () => {
      const { call } = ingestFor('sentry');
      const response = await call(sourceEvent('sentry', body, { ...at(NOW - 3600), secret: 'wrong' }));
      expect(response.body.message).toMatch(/^Sentry-Hook-Signature does not match/);
    });
  });

  it.each([
    ['issue__resolved.json', 'issue', { kind: 'sentry.issue.resolved', outcome: 'success' }],
    ['issue__created_docs.json', 'issue', { kind: 'sentry.issue.created', outcome: 'failure' }],
    [
      'metric_alert__resolved_docs.json',
      'metric_alert',
      { kind: 'sentry.metric_alert.resolved', severity: 'info' },
    ],
    [
      'event_alert__triggered_docs.json',
      'event_alert',
      { kind: 'sentry.event_alert.triggered', severity: 'error' },
    ],
  ])('%s reads as %s %p', async (file, resource, expected) => {
    const { call, queued } = ingestFor('sentry');
    await call(
      sourceEvent('sentry', read('sentry', file), { headers: { 'sentry-hook-resource': resource } }),
    );
    expect(events(queued)[0]).toMatchObject(expected);
  });

  it('shows level, culprit, project and an Open in Sentry button on an event alert', async () => {
    const { call, queued } = ingestFor('sentry');
    await call(
      sourceEvent('sentry', read('sentry', 'event_alert__triggered_docs.json'), {
        headers: { 'sentry-hook-resource': 'event_alert' },
      }),
    );
    const message = fitMessage(formatEvent(events(queued)[0] as never));
    const labels = Object.assign({}, ...((message.slides?.[0]?.data ?? []) as Record<string, string>[]));
    expect(Object.keys(labels)).toEqual(expect.arrayContaining(['Level', 'Culprit', 'Rule']));
    expect(message.buttons?.[0]?.label).toBe('Open in Sentry');
  });

  it('accepts the legacy plugin only with its URL token', async () => {
    const { call } = ingestFor('sentry');
    const body = read('sentry', 'legacy_plugin__sample_event.json');
    expect((await call(sourceEvent('sentry-legacy', body))).status).toBe(202);
    expect((await call(sourceEvent('sentry-legacy', body, { secret: 'wrong' }))).status).toBe(401);
    expect((await call(sourceEvent('sentry-legacy', body, { unauthenticated: true }))).body.message).toMatch(
      /Sentry-Hook-Signature is missing/,
    );
  });
});

withCorpus('Docker', () => {
  it.each([
    ['engine_event__container_die_exitcode.json', 1, 'docker.container.die'],
    ['engine_event__container_die_exitcode_0.json', 0, undefined],
    ['engine_event__container_health_status_unhealthy.json', 1, 'docker.container.health_status_unhealthy'],
    ['engine_event__container_health_status_healthy.json', 1, 'docker.container.health_status_healthy'],
    ['engine_event__container_stop.json', 0, undefined],
  ])('%s posts %i message(s)', async (file, count, kind) => {
    const { call, queued } = ingestFor('docker');
    const response = await call(sourceEvent('docker', read('docker', file)));
    expect([200, 202]).toContain(response.status);
    expect(queued).toHaveLength(count);
    if (kind !== undefined) expect(events(queued)[0]?.kind).toBe(kind);
  });

  it('reports a crash with its exit code read as a string, and recovery as success', async () => {
    const { call, queued } = ingestFor('docker');
    const batch = `[${read('docker', 'engine_event__container_die_exitcode.json')},${read('docker', 'engine_event__container_health_status_healthy.json')}]`;
    expect((await call(sourceEvent('docker', batch))).status).toBe(202);
    const [crash, healthy] = events(queued);
    expect(crash).toMatchObject({ severity: 'error', outcome: 'failure', facts: { exitCode: '1067' } });
    expect(healthy).toMatchObject({ outcome: 'success' });
  });

  it('reads Hub pushes with a missing tag and float timestamps, authenticated by the URL token', async () => {
    const { call, queued } = ingestFor('docker');
    const noTag = read('docker', 'hub_push__user_repo_no_tag.json');
    const floats = read('docker', 'hub_push__legacy_docs_sample_float_timestamps.json');
    expect(
      (
        await call(
          sourceEvent('docker', noTag, {
            query: { token: 'vigil-development-token' },
            headers: { authorization: '' },
          }),
        )
      ).status,
    ).toBe(202);
    expect((await call(sourceEvent('docker', floats))).status).toBe(202);
    const [first, second] = events(queued);
    expect(first?.facts).toMatchObject({ type: 'hub_push' });
    expect(first?.facts).not.toHaveProperty('tag');
    expect(first?.title).toMatch(/pushed [^:]+$/);
    expect(second).toMatchObject({ kind: 'docker.hub.push', occurredAt: '2014-12-03T00:22:41.000Z' });
  });
});

withCorpus('Alertmanager', () => {
  it('posts one message per group with a silence link built from externalURL', async () => {
    const { call, queued } = ingestFor('alertmanager');
    await call(sourceEvent('alertmanager', read('alertmanager', 'firing__multiple_alerts.json')));
    const [event] = events(queued);
    expect(event).toMatchObject({
      kind: 'alertmanager.alert.firing',
      severity: 'critical',
      outcome: 'failure',
    });
    expect(event?.facts).toMatchObject({
      alertCount: 2,
      silenceUrl: expect.stringMatching(/^http:\/\/ops1:9093\/#\/silences\/new\?filter=/),
    });
    const message = fitMessage(formatEvent(event as never));
    expect(message.slides?.some((slide) => slide.type === 'table')).toBe(true);
  });

  it('shows a resolved group as a recovery', async () => {
    const { call, queued } = ingestFor('alertmanager');
    await call(sourceEvent('alertmanager', read('alertmanager', 'resolved__single_k8s_cputhrottling.json')));
    expect(events(queued)[0]).toMatchObject({
      kind: 'alertmanager.alert.resolved',
      outcome: 'success',
      severity: 'info',
    });
    expect(fitMessage(formatEvent(events(queued)[0] as never)).text).toMatch(/^✅ /);
  });

  it('deduplicates a repeat of the same group state and tells firing from resolved', async () => {
    const { call, queued } = ingestFor('alertmanager');
    const body = read('alertmanager', 'firing__multiple_alerts.json');
    await call(sourceEvent('alertmanager', body));
    await call(sourceEvent('alertmanager', body));
    const resolved = JSON.parse(body.toString());
    resolved.status = 'resolved';
    await call(sourceEvent('alertmanager', JSON.stringify(resolved)));
    expect(queued[0]?.deduplicationId).toBe(queued[1]?.deduplicationId);
    expect(queued[2]?.deduplicationId).not.toBe(queued[0]?.deduplicationId);
  });

  it('mentions truncated alerts', async () => {
    const { call, queued } = ingestFor('alertmanager');
    const body = JSON.parse(read('alertmanager', 'firing__multiple_alerts.json').toString());
    body.truncatedAlerts = 7;
    await call(sourceEvent('alertmanager', JSON.stringify(body)));
    expect(JSON.stringify(formatEvent(events(queued)[0] as never))).toContain('7 more alert(s) truncated');
  });

  it('accepts basic auth whose password is the token', async () => {
    const { call } = ingestFor('alertmanager');
    const basic = `Basic ${Buffer.from('alertmanager:vigil-development-token').toString('base64')}`;
    expect(
      (
        await call(
          sourceEvent('alertmanager', read('alertmanager', 'firing__multiple_alerts.json'), {
            headers: { authorization: basic },
          }),
        )
      ).status,
    ).toBe(202);
  });
});

withCorpus('Grafana', () => {
  const hmacSecrets = {
    GRAFANA_HMAC_SECRET: 'grafana-hmac',
    ZOHO_CLIQ_WEBHOOK_URL: 'https://cliq.zoho.com/api/v2/channelsbyname/a/message?zapikey=t',
  };

  it('verifies X-Grafana-Alerting-Signature over the body, and over timestamp:body when a timestamp is sent', async () => {
    const now = new Date('2026-11-23T12:00:00Z');
    const { call } = ingestFor('grafana', { secrets: hmacSecrets, now: () => now });
    const body = read('grafana', 'firing__v11_values_tabs.json');
    const plain = createHmac('sha256', 'grafana-hmac').update(body).digest('hex');
    expect(
      (
        await call(
          sourceEvent('grafana', body, {
            unauthenticated: true,
            headers: { 'x-grafana-alerting-signature': plain },
          }),
        )
      ).status,
    ).toBe(202);
    const ts = String(Math.floor(now.getTime() / 1000));
    const stamped = createHmac('sha256', 'grafana-hmac').update(`${ts}:`).update(body).digest('hex');
    const headers = { 'x-grafana-alerting-signature': stamped, 'x-grafana-alerting-timestamp': ts };
    expect((await call(sourceEvent('grafana', body, { unauthenticated: true, headers }))).status).toBe(202);
    const old = String(Number(ts) - 3600);
    const replay = {
      'x-grafana-alerting-signature': createHmac('sha256', 'grafana-hmac')
        .update(`${old}:`)
        .update(body)
        .digest('hex'),
      'x-grafana-alerting-timestamp': old,
    };
    expect(
      (await call(sourceEvent('grafana', body, { unauthenticated: true, headers: replay }))).body.message,
    ).toMatch(/^X-Grafana-Alerting-Timestamp is 3600 s from this server's clock \(allowed: 300 s\): /);
  });

  it('gives a timestamped Grafana notification replayed under a new X-Request-ID the same identity, and a reminder a new one', async () => {
    const now = new Date('2026-11-23T12:00:00Z');
    const { call, queued } = ingestFor('grafana', { secrets: hmacSecrets, now: () => now });
    const body = read('grafana', 'firing__v11_values_tabs.json');
    const signedAt = (ts: string, requestId: string) => ({
      unauthenticated: true,
      headers: {
        'x-grafana-alerting-signature': createHmac('sha256', 'grafana-hmac')
          .update(`${ts}:`)
          .update(body)
          .digest('hex'),
        'x-grafana-alerting-timestamp': ts,
        'x-request-id': requestId,
      },
    });
    const ts = String(now.getTime() / 1000);
    await call(sourceEvent('grafana', body, signedAt(ts, 'first')));
    await call(sourceEvent('grafana', body, signedAt(ts, 'replayed')));
    await call(sourceEvent('grafana', body, signedAt(String(Number(ts) - 60), 'reminder')));
    const [first, replay, reminder] = events(queued);
    expect(first?.identity).toMatch(/^grafana:sha256:[0-9a-f]{64}$/);
    expect(replay?.identity).toBe(first?.identity);
    expect(reminder?.identity).not.toBe(first?.identity);
  });

  it('leaves an HMAC over the body alone to the alert group id, as it cannot tell a reminder from a replay', async () => {
    const { call, queued } = ingestFor('grafana', { secrets: hmacSecrets });
    const body = read('grafana', 'firing__v11_values_tabs.json');
    const signature = createHmac('sha256', 'grafana-hmac').update(body).digest('hex');
    await call(
      sourceEvent('grafana', body, {
        unauthenticated: true,
        headers: { 'x-grafana-alerting-signature': signature },
      }),
    );
    expect(events(queued)[0]?.identity).toBeUndefined();
  });

  it('accepts PUT, as Grafana can be set to use it', async () => {
    const { call } = ingestFor('grafana');
    expect(
      (
        await call(
          sourceEvent('grafana', read('grafana', 'firing__v9_multiple_alerts.json'), { method: 'PUT' }),
        )
      ).status,
    ).toBe(202);
  });

  it('normalizes a pre-8 dashboard alert generically', async () => {
    const { call, queued } = ingestFor('grafana');
    await call(sourceEvent('grafana', read('grafana', 'legacy_dashboard_alert__test_notification.json')));
    expect(events(queued)[0]).toMatchObject({
      kind: 'grafana.legacy_alert.alerting',
      facts: { type: 'legacy_alert' },
    });
  });
});

withCorpus('GitLab', () => {
  const call = async (file: string, event: string, headers: Record<string, string> = {}) => {
    const { call: send, queued } = ingestFor('gitlab');
    const response = await send(
      sourceEvent('gitlab', read('gitlab', file), { headers: { 'x-gitlab-event': event, ...headers } }),
    );
    return { response, events: events(queued), queued };
  };

  it('reports a failed job with its failure reason', async () => {
    const {
      events: [event],
    } = await call('job__failed_script_failure.json', 'Job Hook');
    expect(event).toMatchObject({
      kind: 'gitlab.job.failed',
      outcome: 'failure',
      facts: { failureReason: 'script_failure' },
    });
  });

  it.each([
    ['pipeline__success.json', 'Pipeline Hook', { kind: 'gitlab.pipeline.success', outcome: 'success' }],
    ['deployment__failed.json', 'Deployment Hook', { kind: 'gitlab.deployment.failed', outcome: 'failure' }],
    [
      'merge_request__merged.json',
      'Merge Request Hook',
      { kind: 'gitlab.merge_request.merged', outcome: 'success' },
    ],
    ['merge_request__opened.json', 'Merge Request Hook', { kind: 'gitlab.merge_request.open' }],
    ['push__branch.json', 'Push Hook', { kind: 'gitlab.push' }],
    ['tag_push__created.json', 'Tag Push Hook', { kind: 'gitlab.tag_push', facts: { refType: 'tag' } }],
    ['release__create.json', 'Release Hook', { kind: 'gitlab.release.create' }],
  ])('%s reads as %p', async (file, event, expected) => {
    expect((await call(file, event)).events[0]).toMatchObject(expected);
  });

  it('deduplicates on Idempotency-Key, then X-Gitlab-Event-UUID', async () => {
    const { queued: a } = await call('push__branch.json', 'Push Hook', {
      'idempotency-key': 'k1',
      'x-gitlab-event-uuid': 'u1',
    });
    const { queued: b } = await call('push__branch.json', 'Push Hook', {
      'idempotency-key': 'k1',
      'x-gitlab-event-uuid': 'u2',
    });
    const { queued: c } = await call('push__branch.json', 'Push Hook', { 'x-gitlab-event-uuid': 'u3' });
    expect(a[0]?.deduplicationId).toBe(b[0]?.deduplicationId);
    expect(c[0]?.deduplicationId).not.toBe(a[0]?.deduplicationId);
  });

  it('requires X-Gitlab-Event', async () => {
    const { response } = await call('push__branch.json', '');
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/X-Gitlab-Event header is missing/);
  });
});

describe('Docker container event identity', () => {
  const die = (nano: string, code: string) =>
    `{"status":"die","id":"abc","from":"img","Type":"container","Action":"die","Actor":{"ID":"abc","Attributes":{"exitCode":"${code}","image":"img","name":"web"}},"scope":"local","time":1763899200,"timeNano":${nano},"host":"h1"}`;

  // a crash-looping container (the restart policy's backoff starts at 100 ms) dies twice within one second
  it('keeps two crashes of one container within the same second apart, so SQS and the ledger drop neither', async () => {
    const { call, queued } = ingestFor('docker');
    const body = `[${die('1763899200100000000', '1')},${die('1763899200600000000', '137')}]`;
    expect((await call(sourceEvent('docker', body))).status).toBe(202);
    expect(new Set(queued.map((message) => message.deduplicationId)).size).toBe(2);
  });

  it('gives the same event sent twice the same identity', async () => {
    const { call, queued } = ingestFor('docker');
    const once = die('1763899200100000000', '1');
    expect((await call(sourceEvent('docker', `[${once}]`))).status).toBe(202);
    expect((await call(sourceEvent('docker', `[${once}]`))).status).toBe(202);
    expect(new Set(queued.map((message) => message.deduplicationId)).size).toBe(1);
  });
});
