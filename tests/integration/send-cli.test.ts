import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DeliveryRecord } from '../../lib/state/store';
import type { CliqStandIn } from '../../tools/harness/cliq-stand-in';
import type { LocalStack } from '../../tools/local/stack';
import { runSend } from '../../tools/send/cli';
import { testStackWithCliq } from '../helpers/local-stack';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

let cliq: CliqStandIn;
let stack: LocalStack;
let env: Record<string, string>;

beforeAll(async () => {
  // the whole pipeline (ledger, conversations) posting to a Cliq stand-in; a high budget so nothing is paced
  ({ cliq, stack } = await testStackWithCliq({ CLIQ_POSTS_PER_MINUTE: '600' }));
  env = { PORT: new URL(stack.url).port };
});
afterAll(async () => {
  await stack.stop();
  await cliq.stop();
});

const send = async (...argv: string[]) => {
  const out: string[] = [];
  const errors: string[] = [];
  const status = await runSend(argv, env, {
    out: (line) => out.push(line),
    error: (line) => errors.push(line),
  });
  await stack.waitForIdle();
  return { status, out, errors };
};

const ledger = async (source: string): Promise<DeliveryRecord[]> => {
  const records: DeliveryRecord[] = [];
  for await (const record of stack.state.store.listDeliveries({}))
    if (record.source === source) records.push(record);
  return records;
};

describe('npm run send against the local stack', () => {
  // one sample per source (and both URL-token ones), with a phrase its card shows
  it.each([
    ['github/push.json', 'Codertocat created branch master'],
    ['gitlab/pipeline-failed.json', 'Build and deploy failed on main'],
    ['sentry/issue-created.json', 'CHECKOUT-API-4K'],
    ['sentry/legacy-plugin.json', 'Errors in checkout'],
    ['docker/container-events.json', 'checkout-api-1'],
    ['docker/hub-push.json', 'acme-ci pushed acme/checkout-api:2.14.0'],
    ['alertmanager/firing.json', 'HighErrorRate'],
    ['grafana/firing.json', 'B=0.0831'],
  ])('sends events/%s: 202, and Cliq receives its card', async (file, phrase) => {
    const before = cliq.messages('ops').length;
    const sent = await send(join(ROOT, 'events', file));
    expect(sent.errors).toEqual([]);
    expect(sent.status).toBe(0);
    expect(sent.out[1]).toBe('202 Accepted');
    expect(JSON.parse(sent.out[2] ?? '')).toMatchObject({ ok: true, queued: expect.any(Number) });
    expect(cliq.messages('ops').length).toBeGreaterThan(before);
    expect(JSON.stringify(cliq.messages('ops').slice(before))).toContain(phrase);
  });

  it.each([
    ['github/push.json', 'github'],
    ['sentry/issue-created.json', 'sentry'],
  ])(
    'sends signed %s again under a fresh id: the ledger keeps one delivery, posted once',
    async (file, source) => {
      const records = async () => (await ledger(source)).map((record) => record.eventId);
      const before = await records();
      const posts = cliq.messages('ops').length;
      const again = await send(join(ROOT, 'events', file));
      expect(again.out[1]).toBe('202 Accepted');
      expect(await records()).toEqual(before);
      expect(cliq.messages('ops')).toHaveLength(posts);
    },
  );

  it('the same push with other bytes (a plain payload file, indented) is another delivery, and posts', async () => {
    const sample = JSON.parse(readFileSync(join(ROOT, 'events', 'github', 'push.json'), 'utf8'));
    const file = join(mkdtempSync(join(tmpdir(), 'vigil-send-')), 'push.json');
    writeFileSync(file, `${JSON.stringify(JSON.parse(sample.body), null, 2)}\n`);
    const posts = cliq.messages('ops').length;
    const sent = await send(file, '--source', 'github', '--event', 'push');
    expect(sent.out[1]).toBe('202 Accepted');
    expect(cliq.messages('ops')).toHaveLength(posts + 1);
  });

  it('a GitLab redelivery (--delivery with a used id) is deduplicated; a fresh id is a new delivery', async () => {
    const file = join(ROOT, 'events', 'gitlab', 'merge_request-opened.json');
    const mergeRequests = async () =>
      (await ledger('gitlab')).filter((record) => record.kind.startsWith('gitlab.merge_request'));
    await send(file, '--delivery', 'mr-delivery-1');
    await send(file, '--delivery', 'mr-delivery-1');
    expect((await mergeRequests()).map((record) => record.eventId)).toEqual(['gitlab:mr-delivery-1']);
    await send(file);
    expect(await mergeRequests()).toHaveLength(2);
  });

  it('sends a plain payload file with --source (a GitLab job: its event read from object_kind)', async () => {
    const sample = JSON.parse(readFileSync(join(ROOT, 'events', 'gitlab', 'job-failed.json'), 'utf8'));
    const file = join(mkdtempSync(join(tmpdir(), 'vigil-send-')), 'job.json');
    writeFileSync(file, `${JSON.stringify(JSON.parse(sample.body), null, 2)}\n`);
    const before = (await ledger('gitlab')).length;
    const sent = await send(file, '--source', 'gitlab');
    expect(sent.out[0]).toContain('gitlab Job Hook');
    expect(sent.out[1]).toBe('202 Accepted');
    expect((await ledger('gitlab')).map((record) => record.kind)).toContain('gitlab.job.failed');
    expect((await ledger('gitlab')).length).toBe(before + 1);
  });

  it('runs as npm run send, and its exit status says whether Vigil accepted the request', async () => {
    const npm = (args: string[]) =>
      run('npm', ['run', '-s', 'send', '--', ...args], { cwd: ROOT, env: { ...process.env, ...env } }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    const accepted = await npm(['events/alertmanager/resolved.json']);
    expect(accepted).toMatchObject({ code: 0, stderr: '' });
    expect(accepted.stdout).toMatch(
      /^POST http:\/\/127\.0\.0\.1:\d+\/webhooks\/alertmanager {2}alertmanager {2}x-request-id: /,
    );
    expect(accepted.stdout).toContain('\n202 Accepted\n{"ok":true');
    const refused = await npm(['events/github/push.json', '--secret', 'not-the-stack-secret']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('401 Unauthorized');
    expect(refused.stdout).toContain('X-Hub-Signature-256 does not match');
    expect(`${refused.stdout}${refused.stderr}`).not.toContain('not-the-stack-secret');
  });
});
