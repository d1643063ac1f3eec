import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { WebhookRequest } from '../../lib/http/request';
import type { Secrets } from '../../lib/secrets';
import { developmentSecrets, SOURCES, sourceList } from '../../lib/sources/registry';
import { runSend } from '../../tools/send/cli';
import { readSendInput, type SendInput } from '../../tools/send/input';
import { type SendOptions, type SourceRequest, sourceRequest } from '../../tools/send/request';

const EVENTS = join(__dirname, '..', '..', 'events');
const samples = readdirSync(EVENTS)
  .filter((folder) => folder !== 'sender')
  .flatMap((folder) => readdirSync(join(EVENTS, folder)).map((file) => `${folder}/${file}`));

const input = (file: string): SendInput => {
  const read = readSendInput(file, readFileSync(join(EVENTS, file)));
  if (!read.ok) throw new Error(read.error);
  return read.value;
};
const payload = (value: unknown): SendInput => {
  const read = readSendInput('payload.json', Buffer.from(JSON.stringify(value)));
  if (!read.ok) throw new Error(read.error);
  return read.value;
};
const sampleBody = (file: string): unknown => JSON.parse(input(file).body.toString('utf8'));

const build = (from: SendInput, options: SendOptions = {}): SourceRequest => {
  const built = sourceRequest(from, options, () => 'fresh-delivery-1');
  if (!built.ok) throw new Error(built.error);
  return built.value;
};

/** What the stack's handler receives for this request: what the real verifiers and normalizers check. */
const received = (request: SourceRequest): WebhookRequest => ({
  method: request.method,
  path: request.route,
  headers: request.headers,
  query: request.query,
  body: request.body,
});
const clock = { now: new Date(), toleranceSeconds: 300 };
const authenticated = (request: SourceRequest, secrets: Secrets = developmentSecrets()) =>
  SOURCES[request.source].authenticate(received(request), secrets, clock);
const accepted = (request: SourceRequest) =>
  SOURCES[request.source].accept(received(request), new Date().toISOString());

describe('sourceRequest', () => {
  it.each(samples)('signs %s so that its source accepts it with the development secrets', (file) => {
    const request = build(input(file));
    expect(request.source).toBe(file.split('/')[0]);
    expect(authenticated(request)).toEqual({ ok: true, value: true });
    expect(accepted(request).ok).toBe(true);
  });

  it.each(sourceList().map((source) => source.name))(
    'signs a %s sample with --secret: refused under the development secrets, accepted under that one',
    (name) => {
      const file = samples.find((sample) => sample.startsWith(`${name}/`)) ?? '';
      const request = build(input(file), { secret: 'rotated-secret-7' });
      const rotated = Object.fromEntries(
        Object.keys(SOURCES[name].developmentSecrets).map((key) => [key, 'rotated-secret-7']),
      );
      const refused = authenticated(request);
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.error.status).toBe(401);
      expect(authenticated(request, rotated)).toEqual({ ok: true, value: true });
    },
  );

  it("replaces a sample's own signature rather than sending a stale one", () => {
    const sample = input('github/push.json');
    if (sample.kind !== 'sample') throw new Error('not a sample');
    const tampered: SendInput = {
      ...sample,
      headers: { ...sample.headers, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
    };
    expect(authenticated(build(tampered))).toEqual({ ok: true, value: true });
  });

  it("sends a fresh delivery id, never the sample's, unless --delivery names one", () => {
    expect(input('github/push.json')).toMatchObject({ headers: { 'x-github-delivery': 'sample-push' } });
    expect(build(input('github/push.json')).headers['x-github-delivery']).toBe('fresh-delivery-1');
    const named = build(input('gitlab/pipeline-failed.json'), { delivery: 'redelivery-1' });
    expect(named.headers['x-gitlab-event-uuid']).toBe('redelivery-1');
    const events = accepted(named);
    expect(events.ok && events.value.events[0]?.id).toBe('gitlab:redelivery-1');
  });

  it('keeps the URL token of a sample that authenticates with one (Sentry legacy plugin, Docker Hub)', () => {
    for (const file of ['sentry/legacy-plugin.json', 'docker/hub-push.json']) {
      const request = build(input(file), { secret: 'url-token-2' });
      expect(request.query).toEqual({ token: 'url-token-2' });
      expect(request.headers).not.toHaveProperty('authorization');
    }
  });

  it('needs --event for a plain GitHub payload, naming the header', () => {
    const body = sampleBody('github/push.json');
    expect(sourceRequest(payload(body), { source: 'github' }, () => 'id')).toEqual({
      ok: false,
      error: '--event is required for a github payload: the x-github-event header, such as push',
    });
    const request = build(payload(body), { source: 'github', event: 'push' });
    expect(authenticated(request)).toEqual({ ok: true, value: true });
    const events = accepted(request);
    expect(events.ok && events.value.events.map((event) => event.kind)).toEqual(['github.push']);
  });

  it("reads a plain GitLab payload's event from its object_kind (a job's is build)", () => {
    const job = build(payload(sampleBody('gitlab/job-failed.json')), { source: 'gitlab' });
    expect(job.headers['x-gitlab-event']).toBe('Job Hook');
    expect(accepted(job).ok).toBe(true);
    expect(sourceRequest(payload({ object_kind: 'unheard_of' }), { source: 'gitlab' }, () => 'id')).toEqual({
      ok: false,
      error: '--event is required for a gitlab payload: the x-gitlab-event header, such as Push Hook',
    });
  });

  it("takes a plain payload's source from --source, else the --to route, and names the choices when neither", () => {
    const firing = sampleBody('alertmanager/firing.json');
    expect(build(payload(firing), { routeSource: 'alertmanager' }).source).toBe('alertmanager');
    expect(build(payload(firing), { source: 'grafana', routeSource: 'alertmanager' }).source).toBe('grafana');
    expect(sourceRequest(payload(firing), {}, () => 'id')).toEqual({
      ok: false,
      error:
        '--source is required for a plain payload: one of github, gitlab, sentry, docker, alertmanager, grafana',
    });
    expect(sourceRequest(payload(firing), { source: 'bitbucket' }, () => 'id')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^unknown source bitbucket: use one of github/),
    });
  });

  it('sends the exact bytes of a plain payload file, which its signature covers', () => {
    const text = '{ "zen": "Design for failure.",\n  "hook_id": 1 }\n';
    const read = readSendInput('ping.json', Buffer.from(text));
    if (!read.ok) throw new Error(read.error);
    const request = build(read.value, { source: 'github', event: 'ping' });
    expect(request.body.toString('utf8')).toBe(text);
    expect(authenticated(request)).toEqual({ ok: true, value: true });
  });
});

describe('readSendInput', () => {
  it('refuses a file that is not JSON, naming it', () => {
    expect(readSendInput('broken.json', Buffer.from('{"a":'))).toMatchObject({
      ok: false,
      error: expect.stringMatching(
        /^broken\.json is not JSON \(.+\): send a webhook payload or an events\/ sample$/,
      ),
    });
  });

  it("refuses the sender's SQS batch and says how it is run", () => {
    const file = 'events/sender/sqs-batch.json';
    expect(readSendInput(file, readFileSync(join(EVENTS, 'sender', 'sqs-batch.json')))).toEqual({
      ok: false,
      error: `${file} is an SQS batch for the sender, not a webhook: run it with npx serverless invoke local -f sender --path ${file}`,
    });
  });

  it("decodes a base64 sample's body, as API Gateway's isBase64Encoded says", () => {
    const event = JSON.parse(readFileSync(join(EVENTS, 'github', 'push.json'), 'utf8')) as Record<
      string,
      string
    >;
    const encoded = {
      ...event,
      body: Buffer.from(event.body ?? '').toString('base64'),
      isBase64Encoded: true,
    };
    const read = readSendInput('push.json', Buffer.from(JSON.stringify(encoded)));
    expect(read.ok && read.value.body.toString('utf8')).toBe(event.body);
  });
});

describe('runSend', () => {
  const run = async (argv: string[], env: Record<string, string> = {}, fetchImpl?: typeof fetch) => {
    const out: string[] = [];
    const errors: string[] = [];
    const status = await runSend(argv, env, {
      out: (line) => out.push(line),
      error: (line) => errors.push(line),
      ...(fetchImpl === undefined ? {} : { fetch: fetchImpl }),
    });
    return { status, out, errors };
  };
  const answering =
    (status: number, body: unknown, seen: Request[] = []): typeof fetch =>
    async (url, init) => {
      seen.push(new Request(url, init));
      return new Response(JSON.stringify(body), { status });
    };

  it('--help says each send has a fresh delivery id, what --delivery does, and the exit statuses', async () => {
    const help = await run(['--help']);
    expect(help.status).toBe(0);
    expect(help.out.join('\n')).toContain("Each send carries a fresh delivery id, never the sample's");
    expect(help.out.join('\n')).toContain('Exit status: 0 when Vigil answers 2xx, 1 when it refuses');
  });

  it('says in one line that a file does not exist, exit status 2', async () => {
    expect(await run(['events/github/nope.json'])).toEqual({
      status: 2,
      out: [],
      errors: [
        'send: events/github/nope.json does not exist: give a payload file or a sample such as events/github/push.json',
      ],
    });
  });

  it('says nothing answers on the local stack and to start it, exit status 3', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const sent = await run([join(EVENTS, 'github', 'push.json')], { PORT: String(port) });
    expect(sent.status).toBe(3);
    expect(sent.errors).toEqual([
      `send: nothing answers on http://127.0.0.1:${port} — start it with npm start`,
    ]);
  });

  it('names PORT when it is not a port', async () => {
    const sent = await run([join(EVENTS, 'github', 'push.json')], { PORT: 'abc' });
    expect(sent).toMatchObject({ status: 2, errors: [expect.stringMatching(/^send: PORT must be/)] });
  });

  it('posts to the local stack on PORT and prints the status and answer, exit status 0', async () => {
    const seen: Request[] = [];
    const sent = await run(
      [join(EVENTS, 'github', 'push.json')],
      { PORT: '3456' },
      answering(202, { ok: true, queued: 1 }, seen),
    );
    expect(sent.status).toBe(0);
    expect(seen.map((request) => request.url)).toEqual(['http://127.0.0.1:3456/webhooks/github']);
    expect(sent.out[0]).toMatch(
      /^POST http:\/\/127\.0\.0\.1:3456\/webhooks\/github {2}github push {2}x-github-delivery: [0-9a-f-]{36}$/,
    );
    expect(sent.out.slice(1)).toEqual(['202', '{"ok":true,"queued":1}']);
  });

  it('never prints the secret or the URL token, even when the answer is a refusal', async () => {
    const seen: Request[] = [];
    const sent = await run(
      [
        join(EVENTS, 'sentry', 'legacy-plugin.json'),
        '--secret',
        'hunter2-token',
        '--to',
        'https://vigil.example',
      ],
      {},
      answering(401, { error: 'unauthorized' }, seen),
    );
    expect(sent.status).toBe(1);
    expect(new URL(seen[0]?.url ?? '').searchParams.get('token')).toBe('hunter2-token');
    expect(sent.out[0]).toMatch(/^POST https:\/\/vigil\.example\/webhooks\/sentry\?token=… {2}sentry/);
    expect([...sent.out, ...sent.errors].join('\n')).not.toContain('hunter2');
  });

  it('on a 401 with the development secret, says which variable the stack may have set instead', async () => {
    const sent = await run(
      [join(EVENTS, 'github', 'push.json')],
      {},
      answering(401, { error: 'unauthorized' }),
    );
    expect(sent.status).toBe(1);
    expect(sent.errors).toEqual([
      'send: signed with the development secret; if the stack has GITHUB_WEBHOOK_SECRET set, pass that value with --secret',
    ]);
  });

  it('posts a plain payload to the route --to names, with the source taken from it', async () => {
    const seen: Request[] = [];
    const sent = await runSend(
      ['firing.json', '--to', 'http://127.0.0.1:4000/webhooks/alertmanager'],
      {},
      {
        out: () => undefined,
        error: () => undefined,
        readFile: () => Buffer.from(JSON.stringify(sampleBody('alertmanager/firing.json'))),
        fetch: answering(202, { ok: true }, seen),
      },
    );
    expect(sent).toBe(0);
    expect(seen[0]?.url).toBe('http://127.0.0.1:4000/webhooks/alertmanager');
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer vigil-development-token');
  });
});
