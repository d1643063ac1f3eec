import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliqStandIn } from '../../tools/harness/cliq-stand-in';
import { octokitExample, postGithub } from '../../tools/harness/github';
import type { LocalStack } from '../../tools/local/stack';
import { testStack } from '../helpers/local-stack';
import { recordingLog } from '../helpers/log';

const EVENTS = join(__dirname, '..', '..', 'events');

const CONFIG = `
default: ops
channels:
  ops: {}
  backend: { bot_unique_name: vigilbot, bot: { name: Vigil } }
  oncall: {}
routes:
  - name: no bots
    match: { bots: true }
    drop: true
  - name: hello-world also to backend
    match: { source: github, repository: "Codertocat/*" }
    to: [backend]
    continue: true
  - name: failures page on-call
    match: { outcome: failure }
    to: [oncall]
    mention: ["{@oncall@acme.com}"]
`;

const writeConfig = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'vigil-config-')), 'vigil.config.yaml');
  writeFileSync(path, text);
  return path;
};

const sample = (path: string) =>
  JSON.parse(readFileSync(join(EVENTS, path), 'utf8')) as {
    rawPath: string;
    rawQueryString?: string;
    headers: Record<string, string>;
    body: string;
  };
const send = (stack: LocalStack, path: string) => {
  const event = sample(path);
  return fetch(`${stack.url}${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`, {
    method: 'POST',
    headers: event.headers,
    body: event.body,
  });
};

describe('routing over loopback: three channels, fan-out, drops', () => {
  let cliq: CliqStandIn;
  let stack: LocalStack;
  let recorder: ReturnType<typeof recordingLog>;

  beforeAll(async () => {
    cliq = await new CliqStandIn().start();
    recorder = recordingLog();
    stack = await testStack(
      {
        VIGIL_CONFIG: writeConfig(CONFIG),
        ZOHO_CLIQ_WEBHOOK_URL: cliq.channelUrl('unused', 'token-a'),
        CLIQ_URL_OPS: cliq.channelUrl('ops', 'token-a'),
        CLIQ_URL_BACKEND: cliq.channelUrl('backend', 'token-b'),
        CLIQ_URL_ONCALL: cliq.channelUrl('oncall', 'token-b'),
        RETRY_BASE_SECONDS: '1',
        CLIQ_POSTS_PER_MINUTE: '600',
      },
      { log: recorder.log },
    );
  });
  afterAll(async () => {
    await stack.stop();
    await cliq.stop();
  });

  it('delivers each event to the channels its routes decide, drops bots, and retries a failing channel on its own', async () => {
    cliq.script('backend', { status: 503 });
    const push = octokitExample('push', (p) => p.ref === 'refs/heads/master');
    const failedRun = octokitExample('workflow_run', (p) => p.action === 'completed');
    Object.assign(failedRun.workflow_run as object, { conclusion: 'failure' });

    expect((await postGithub(stack.url, push, { delivery: 'r-push' })).status).toBe(202);
    const botPush = await postGithub(
      stack.url,
      { ...push, sender: { login: 'renovate[bot]', type: 'Bot' } },
      { delivery: 'r-bot' },
    );
    expect(botPush.status).toBe(200);
    expect(await botPush.json()).toMatchObject({ queued: 0, note: 'dropped by route "no bots"' });
    expect(
      (await postGithub(stack.url, failedRun, { event: 'workflow_run', delivery: 'r-run' })).status,
    ).toBe(202);
    expect((await send(stack, 'alertmanager/firing.json')).status).toBe(202);
    expect((await send(stack, 'alertmanager/resolved.json')).status).toBe(202);
    await stack.waitForIdle();

    const texts = (channel: string) =>
      (cliq.messages(channel) as { text: string }[]).map((message) => message.text);
    // backend: the push and the failed run (both Codertocat repos), the run after one 503; the run opens a
    // conversation, so Cliq answers it with its message id (200), the push with 204
    expect(texts('backend')).toHaveLength(2);
    expect(cliq.attempts.filter((a) => a.channel === 'backend').map((a) => a.status)).toEqual([
      503, 204, 200,
    ]);
    // on-call: the failed run and the firing alert, each with the mention
    expect(texts('oncall')).toHaveLength(2);
    for (const text of texts('oncall')) expect(text).toMatch(/\n\{@oncall@acme\.com\}$/);
    // ops: only what no route matched (the resolved alert)
    expect(texts('ops')).toHaveLength(1);
    expect(texts('ops')[0]).toMatch(/RESOLVED/);
    // nothing from the bot anywhere, and the fan-out posted the failed run once per channel
    expect(JSON.stringify([...cliq.delivered.values()])).not.toContain('renovate[bot]');
    expect(cliq.messages('unused')).toEqual([]);
  });

  it('posts as the channel’s bot where the file says so', () => {
    const backend = cliq.attempts.filter((a) => a.channel === 'backend' && a.status === 204);
    expect(backend.every((a) => a.botUniqueName === 'vigilbot')).toBe(true);
    expect((cliq.messages('backend')[0] as { bot?: { name?: string } }).bot).toEqual({ name: 'Vigil' });
  });

  it('logs each event’s route decision in one structured line', () => {
    const routed = recorder.lines
      .filter((line) => line.message === 'routed')
      .map((line) => line.extra[0] as Record<string, unknown>);
    expect(routed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'github.push',
          matched: ['hello-world also to backend'],
          channels: ['backend'],
          dropped: false,
        }),
        expect.objectContaining({ decidedBy: 'no bots', channels: [], dropped: true }),
        expect.objectContaining({
          kind: 'alertmanager.alert.resolved',
          decidedBy: 'default',
          channels: ['ops'],
        }),
      ]),
    );
  });
});

describe('an invalid routing file', () => {
  it('stops npm start before anything listens, naming the file, line and field', async () => {
    const path = writeConfig('default: ops\nroutes:\n  - { name: r, to: [pager] }\n');
    await expect(testStack({ VIGIL_CONFIG: path })).rejects.toThrow(
      /vigil\.config\.yaml:1:\d+: default names channel "ops", which is not under channels[\s\S]*:3:\d+: routes\[0\]\.to\[0\] names channel "pager"/,
    );
  });
});
