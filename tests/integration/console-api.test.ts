import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { CliqStandIn } from '../../tools/harness/cliq-stand-in';
import type { LocalStack } from '../../tools/local/stack';
import { testStackWithCliq } from '../helpers/local-stack';
import { postSample } from '../helpers/samples';

const TOKEN = '1001.console-api-token.secret';
const PROMTOOL = '/usr/bin/promtool';

/** Debian's `promtool` (apt-get install prometheus) checks the exposition; CI must have it. */
const withPromtool = existsSync(PROMTOOL) || process.env.CI === 'true' ? it : it.skip;

describe('the console over HTTP', () => {
  let cliq: CliqStandIn;
  let stack: LocalStack;

  beforeEach(async () => {
    ({ cliq, stack } = await testStackWithCliq(
      { CLIQ_POSTS_PER_MINUTE: '600' },
      { channel: 'alerts', token: TOKEN },
    ));
  });
  afterEach(async () => {
    await stack.stop();
    await cliq.stop();
  });

  const redrive = (headers: Record<string, string>) =>
    fetch(`${stack.url}/api/redrive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ confirm: true }),
    });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.url, ...headers },
      body: JSON.stringify(body),
    });

  const deadLetter = async () => {
    cliq.script('alerts', { status: 400, body: { code: 'input_invalid', message: 'bad' } });
    await postSample(stack.url, 'github/push');
    await stack.waitForIdle();
  };

  // Reading a FIFO DLQ whole moves its messages (Amazon SQS Developer Guide, "FIFO queue delivery logic"), so
  // listing dead letters is a change like a redrive: another site's page must not set it off with a link
  it('lists and shows dead letters only for its own page, never for a GET or another site', async () => {
    await deadLetter();
    for (const path of ['/api/dead-letters', '/api/dead-letter?id=x']) {
      expect((await fetch(`${stack.url}${path}`)).status).toBe(405);
      expect(
        (await fetch(`${stack.url}${path}`, { headers: { 'sec-fetch-site': 'cross-site' } })).status,
      ).not.toBe(200);
    }
    expect((await post('/api/dead-letters', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await post('/api/dead-letters', {}, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post('/api/dead-letter', { id: 'x' }, { 'sec-fetch-site': 'cross-site' })).status).toBe(
      403,
    );

    const listed = await post('/api/dead-letters', {}, { 'sec-fetch-site': 'same-origin' });
    expect(listed.status).toBe(200);
    const { letters } = (await listed.json()) as { letters: { id: string; kind: string }[] };
    expect(letters).toEqual([expect.objectContaining({ kind: 'github.push' })]);
    const shown = await post('/api/dead-letter', { id: letters[0]?.id });
    expect(await shown.json()).toMatchObject({ letter: { id: letters[0]?.id } });
    expect((await post('/api/dead-letter', {})).status).toBe(400);
    expect((await post('/api/dead-letter', { id: 'none' })).status).toBe(404);
  });

  it('says in the playground when a held event would post, at the time asked', async () => {
    const routing = [
      'default: default',
      'channels:',
      '  default: { hold_during: [quiet-hours] }',
      'time_intervals:',
      '  - name: quiet-hours',
      '    time_intervals:',
      '      - times: [{ start_time: "22:00", end_time: "24:00" }, { start_time: "00:00", end_time: "07:00" }]',
      '        location: Europe/Berlin',
    ].join('\n');
    const explained = async (at: string) =>
      (await (await post('/api/explain', { sample: 'github/push', routing, at })).json()) as {
        explained: { messages: { held?: string }[] }[];
      };
    expect((await explained('2026-12-07T22:30:00Z')).explained[0]?.messages[0]?.held).toBe(
      'held (quiet-hours until 07:00 Europe/Berlin): posts at 2026-12-08 07:00 Europe/Berlin',
    );
    expect((await explained('2026-12-07T12:00:00Z')).explained[0]?.messages[0]?.held).toBeUndefined();
    expect((await post('/api/explain', { sample: 'github/push', routing, at: 'late' })).status).toBe(400);
  });

  it('counts dead letters for the tab with SQS’s own count', async () => {
    const count = async () =>
      ((await (await fetch(`${stack.url}/api/dead-letter-count`)).json()) as { count: number }).count;
    expect(await count()).toBe(0);
    await deadLetter();
    expect(await count()).toBe(1);
  });

  it('refuses a state change from another origin or another site', async () => {
    expect((await redrive({ origin: 'http://evil.example' })).status).toBe(403);
    expect((await redrive({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await redrive({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await redrive({ origin: stack.url, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('takes state changes only as JSON POSTs', async () => {
    expect((await fetch(`${stack.url}/api/redrive`)).status).toBe(405);
    const form = await fetch(`${stack.url}/api/redrive`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: stack.url },
      body: 'confirm=true',
    });
    expect(form.status).toBe(415);
    expect((await redrive({ origin: stack.url })).status).toBe(200);
  });

  it.each(['/api/feed', '/api/outbox', '/previews', '/metrics', '/health'])(
    'does not answer %s to a host name other than loopback (DNS rebinding)',
    async (path) => {
      const { request } = await import('node:http');
      const status = await new Promise<number>((resolve, reject) => {
        const url = new URL(`${stack.url}${path}`);
        request(
          { host: url.hostname, port: url.port, path: url.pathname, headers: { host: 'evil.example' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
          .on('error', reject)
          .end();
      });
      expect(status).toBe(403);
    },
  );

  it('serves the page with a policy that loads nothing from elsewhere', async () => {
    const page = await fetch(`${stack.url}/`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('never puts a channel URL, token or signature in the feed, samples or dead letters', async () => {
    cliq.script('alerts', {
      status: 400,
      body: { code: 'input_invalid', message: `bad; url was ${cliq.channelUrl('alerts', TOKEN)}` },
    });
    await postSample(stack.url, 'github/push');
    await stack.waitForIdle();
    const bodies = await Promise.all(
      ['/api/feed', '/api/samples', '/api/sample?name=github/push', '/api/routing'].map(async (path) =>
        (await fetch(`${stack.url}${path}`)).text(),
      ),
    );
    const listed = await (await post('/api/dead-letters', {})).text();
    const letters = JSON.parse(listed) as { letters: { id: string }[] };
    expect(letters.letters).toHaveLength(1);
    bodies.push(listed, await (await post('/api/dead-letter', { id: letters.letters[0]?.id })).text());
    for (const body of bodies) {
      expect(body).not.toContain(TOKEN);
      expect(body).not.toMatch(/sha256=|x-hub-signature|zapikey=(?!\[redacted\])/i);
    }
  });

  withPromtool('reports /health’s counters at /metrics, in a format promtool accepts', async () => {
    await postSample(stack.url, 'github/push');
    await postSample(stack.url, 'github/ping');
    await stack.waitForIdle();
    const health = (await (await fetch(`${stack.url}/health`)).json()) as {
      counters: Record<string, Record<string, number>>;
    };
    const metrics = await fetch(`${stack.url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    for (const [name, bySource] of Object.entries(health.counters))
      for (const [source, value] of Object.entries(bySource))
        expect(text).toContain(`vigil_${name}_total{source="${source}"} ${value}\n`);
    expect(text).toContain('vigil_delivered_total{source="github"} 1\n');
    expect(text).toContain('vigil_dead_letter_messages 0\n');
    // exits non-zero, with the problems on stderr, when the exposition breaks a rule
    execFileSync(PROMTOOL, ['check', 'metrics'], { input: text });
  });
});
