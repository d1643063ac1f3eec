import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { parseChannelUrl, redactTokens } from '../../lib/cliq/channel-url';
import { postToCliq } from '../../lib/cliq/deliver';
import { escapeCliq } from '../../lib/cliq/escape';
import { fitMessage } from '../../lib/cliq/fit';
import type { CliqMessage } from '../../lib/cliq/message';
import { cliqViolations } from '../../tools/harness/cliq-stand-in';

const text = fc.string({ unit: 'binary', maxLength: 12_000 });
const slide = fc.oneof(
  fc.record({ type: fc.constant('text' as const), title: fc.string(), data: text }),
  fc.record({
    type: fc.constant('list' as const),
    data: fc.array(fc.string({ maxLength: 3000 }), { maxLength: 60 }),
  }),
  fc.record({
    type: fc.constant('label' as const),
    data: fc.array(
      fc.dictionary(fc.string({ maxLength: 30 }), fc.string({ maxLength: 3000 }), { maxKeys: 2 }),
      { maxLength: 40 },
    ),
  }),
);
const url = fc.oneof(
  fc.webUrl(),
  fc.string().map((s) => `https://example.com/${s.repeat(40)}`),
  fc.constant('javascript:alert(1)'),
);
const message: fc.Arbitrary<CliqMessage> = fc.record({
  text,
  card: fc.record({ title: fc.string({ maxLength: 600 }), theme: fc.constant('modern-inline' as const) }),
  slides: fc.array(slide, { maxLength: 30 }),
  buttons: fc.array(
    fc.record({
      label: fc.string({ minLength: 1, maxLength: 60 }),
      hint: fc.string({ maxLength: 300 }),
      action: fc.record({ type: fc.constant('open.url' as const), data: fc.record({ web: url }) }),
    }),
    { maxLength: 9 },
  ),
});

describe('fitMessage', () => {
  it('brings any message within every Cliq limit', () => {
    fc.assert(
      fc.property(message, (input) => cliqViolations(fitMessage(input)).length === 0),
      { numRuns: 300 },
    );
  });

  it('keeps a message that already fits unchanged', () => {
    const small: CliqMessage = {
      text: 'hi',
      card: { title: 't', theme: 'modern-inline' },
      slides: [{ type: 'text', data: 'x' }],
    };
    expect(fitMessage(small)).toEqual(small);
  });

  it('drops buttons whose URL Cliq cannot open rather than cutting the URL', () => {
    const fitted = fitMessage({
      text: 'x',
      buttons: [
        { label: 'Long', action: { type: 'open.url', data: { web: `https://x.dev/${'a'.repeat(300)}` } } },
      ],
    });
    expect(fitted.buttons).toEqual([]);
  });
});

describe('escapeCliq', () => {
  it.each([
    '{@all}',
    '{@ops@acme.com}',
    '*bold*',
    '_it_',
    '~strike~',
    '`code`',
    '[label](https://evil)',
    '#Heading',
  ])('neutralizes %s', (markup) => {
    const escaped = escapeCliq(markup);
    expect(escaped).not.toBe(markup);
    expect(escaped.replace(/\u200B/g, '')).toBe(markup);
  });

  it('never leaves a mention token in any text', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => !escapeCliq(`${a}{@all}${b}`).includes('{@')));
  });
});

describe('parseChannelUrl', () => {
  const good = 'https://cliq.zoho.eu/api/v2/channelsbyname/alerts/message?zapikey=1001.abc.def';

  it('accepts a channel API endpoint and derives a stable owner from its token', () => {
    const parsed = parseChannelUrl(good, 'KEY');
    expect(parsed.ok && parsed.value.owner).toMatch(/^cliq-[0-9a-f]{32}$/);
    const sameToken = parseChannelUrl(
      'https://cliq.zoho.eu/api/v2/channelsbyname/other/message?zapikey=1001.abc.def',
      'KEY',
    );
    expect(sameToken.ok && parsed.ok && sameToken.value.owner === parsed.value.owner).toBe(true);
    expect(parsed.ok && parsed.value.display).toBe('cliq.zoho.eu/api/v2/channelsbyname/alerts/message');
  });

  it('accepts a bot message endpoint and a /network/ or /company/ prefix', () => {
    for (const url of [
      'https://cliq.zoho.com/api/v2/bots/vigil/message?zapikey=t',
      'https://cliq.zoho.eu/company/123/api/v2/channelsbyname/a/message/?zapikey=t&bot_unique_name=b',
      'https://cliq.zoho.com/network/acme/api/v2/channelsbyname/a/message?zapikey=t',
    ])
      expect([url, parseChannelUrl(url, 'K').ok]).toEqual([url, true]);
  });

  it('accepts http only for loopback stand-ins', () => {
    expect(parseChannelUrl('http://127.0.0.1:9/api/v2/channelsbyname/a/message?zapikey=t', 'K').ok).toBe(
      true,
    );
    expect(parseChannelUrl('http://localhost:9/api/v2/channelsbyname/a/message?zapikey=t', 'K').ok).toBe(
      true,
    );
    expect(parseChannelUrl('http://cliq.zoho.com/api/v2/channelsbyname/a/message?zapikey=t', 'K').ok).toBe(
      false,
    );
  });

  it.each([
    ['not a url', /has no scheme: start it with https:\/\//],
    [
      'cliq.zoho.com/api/v2/channelsbyname/a/message?zapikey=SECRET',
      /has no scheme: start it with https:\/\//,
    ],
    ['https://', /is not a URL/],
    [
      'http://cliq.zoho.com/api/v2/channelsbyname/a/message?zapikey=SECRET',
      /only for loopback .*not cliq\.zoho\.com/,
    ],
    // Zoho Cliq REST API v2 (shared/specs/zoho-cliq.md): a zapikey posts to /channelsbyname/NAME/message or /bots/NAME/message
    [
      'https://cliq.zoho.com/api/v2/chats/123/message?zapikey=SECRET',
      /not a channel or bot message endpoint/,
    ],
    ['https://cliq.zoho.com/message?zapikey=SECRET', /not a channel or bot message endpoint/],
    [
      'https://cliq.zoho.com/api/v3/channelsbyname/a/message?zapikey=SECRET',
      /not a channel or bot message endpoint/,
    ],
    ['ftp://cliq.zoho.com/api/v2/channelsbyname/a/message?zapikey=SECRET', /must be an https/],
    ['https://cliq.zoho.com/api/v2/bots/vigil/incoming?zapikey=SECRET', /incoming-webhook URL/],
    ['https://cliq.zoho.com/api/v2/channelsbyname/a?zapikey=SECRET', /does not end in \/message/],
    ['https://cliq.zoho.com/api/v2/channelsbyname/a/message', /no zapikey/],
  ])('explains what is wrong with %s without echoing the token', (raw, problem) => {
    const parsed = parseChannelUrl(raw, 'ZOHO_CLIQ_WEBHOOK_URL');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error).toMatch(problem);
      expect(parsed.error).toMatch(/^ZOHO_CLIQ_WEBHOOK_URL /);
      expect(parsed.error).not.toContain('SECRET');
    }
  });

  it('redacts zapikey values from text', () => {
    expect(redactTokens('failed https://x/message?zapikey=abc.def&bot=1')).toBe(
      'failed https://x/message?zapikey=[redacted]&bot=1',
    );
  });
});

describe('postToCliq', () => {
  const serve = async (
    answer: (respond: (status: number, body?: string, headers?: Record<string, string>) => void) => void,
  ) => {
    const server = createServer((_request, response) => {
      _request.resume();
      answer((status, body = '', headers = {}) => {
        response.writeHead(status, headers);
        response.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/api/v2/channelsbyname/a/message?zapikey=TOKEN123`,
      close: () =>
        new Promise((r) => {
          server.closeAllConnections();
          server.close(r);
        }),
    };
  };
  const msg: CliqMessage = { text: 'hello' };

  it.each([
    [204, '', { ok: true }],
    [200, '{"message_id":"1"}', { ok: true }],
    [503, '', { ok: false, transient: true, throttled: false, status: 503 }],
    [429, '', { ok: false, transient: true, throttled: true, status: 429 }],
    [
      400,
      '{"code":"request_limit_exceeded","message":"slow down"}',
      { ok: false, transient: true, throttled: true, code: 'request_limit_exceeded' },
    ],
    [
      400,
      '{"code":"input_invalid","message":"bad slide"}',
      { ok: false, transient: false, code: 'input_invalid', message: 'bad slide' },
    ],
    [401, '{"code":"oauthtoken_invalid","message":"no"}', { ok: false, transient: false, status: 401 }],
    [404, 'not json', { ok: false, transient: false, status: 404, message: 'not json' }],
  ])('classifies HTTP %i %s', async (status, body, expected) => {
    const server = await serve((respond) => respond(status, body));
    try {
      expect(await postToCliq(fetch, server.url, msg, 2000)).toMatchObject(expected);
    } finally {
      await server.close();
    }
  });

  it('reads Retry-After', async () => {
    const server = await serve((respond) => respond(429, '', { 'retry-after': '42' }));
    try {
      expect(await postToCliq(fetch, server.url, msg, 2000)).toMatchObject({ retryAfterSeconds: 42 });
    } finally {
      await server.close();
    }
  });

  it('treats a timeout as transient and says so', async () => {
    const server = await serve(() => undefined);
    try {
      expect(await postToCliq(fetch, server.url, msg, 200)).toMatchObject({
        ok: false,
        transient: true,
        message: 'Cliq did not answer within 200 ms',
      });
    } finally {
      await server.close();
    }
  });

  it('treats a refused connection as transient without naming the URL', async () => {
    const result = await postToCliq(
      fetch,
      'http://127.0.0.1:1/api/v2/channelsbyname/a/message?zapikey=TOKEN123',
      msg,
      2000,
    );
    expect(result).toMatchObject({ ok: false, transient: true });
    expect(JSON.stringify(result)).not.toContain('TOKEN123');
  });
});
