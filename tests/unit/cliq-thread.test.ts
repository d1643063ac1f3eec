import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DeliveryResult, postToCliq } from '../../lib/cliq/deliver';
import { fitMessage } from '../../lib/cliq/fit';
import { messageIdOf } from '../../lib/cliq/message-id';
import { threadPostUrl, threadsForbidden, threadTarget } from '../../lib/cliq/thread';

// Hosts and path prefixes from specs/zoho-cliq.md, Endpoints; the thread call from its Threads section.
const HOSTS = [
  'cliq.zoho.com',
  'cliq.zoho.eu',
  'cliq.zoho.in',
  'cliq.zoho.com.au',
  'cliq.zoho.com.cn',
  'cliq.zoho.jp',
  'cliq.zohocloud.ca',
  'cliq.zoho.sa',
  'cliq.zoho.uk',
];
const QUERY = '?zapikey=1001.SECRET.abc&bot_unique_name=vigil';

describe('threadPostUrl', () => {
  it.each(HOSTS)('turns a %s channel URL into the v3 thread call on the same host', (host) => {
    expect(threadPostUrl(`https://${host}/api/v2/channelsbyname/alerts/message${QUERY}`)).toEqual({
      ok: true,
      value: `https://${host}/api/v3/channelsbyname/alerts/messages${QUERY}`,
    });
  });

  it.each(['/network/acme', '/company/64396901'])('keeps the %s prefix', (prefix) => {
    expect(threadPostUrl(`https://cliq.zoho.eu${prefix}/api/v2/channelsbyname/ops/message${QUERY}`)).toEqual({
      ok: true,
      value: `https://cliq.zoho.eu${prefix}/api/v3/channelsbyname/ops/messages${QUERY}`,
    });
  });

  it('keeps the whole query in its order, the channel name as encoded and a trailing slash out', () => {
    const url = threadPostUrl(
      'https://cliq.zoho.com/api/v2/channelsbyname/ops%20room/message/?bot_unique_name=b&zapikey=T&x=1#frag',
    );
    expect(url).toEqual({
      ok: true,
      value:
        'https://cliq.zoho.com/api/v3/channelsbyname/ops%20room/messages?bot_unique_name=b&zapikey=T&x=1',
    });
  });

  it('works for a loopback stand-in', () => {
    expect(threadPostUrl('http://127.0.0.1:4567/api/v2/channelsbyname/a/message?zapikey=t')).toEqual({
      ok: true,
      value: 'http://127.0.0.1:4567/api/v3/channelsbyname/a/messages?zapikey=t',
    });
  });

  it.each([
    ['not a url SECRET', /has no scheme/],
    ['https://cliq.zoho.com/api/v2/bots/vigil/message?zapikey=SECRET', /not a channel URL/],
    [
      'https://cliq.zoho.com/api/v2/chats/123/message?zapikey=SECRET',
      /not a channel or bot message endpoint/,
    ],
    ['https://cliq.zoho.com/api/v2/bots/vigil/incoming?zapikey=SECRET', /incoming-webhook/],
    ['http://cliq.zoho.com/api/v2/channelsbyname/a/message?zapikey=SECRET', /https/],
    ['https://cliq.zoho.com/api/v2/channelsbyname/a/message', /no zapikey/],
  ])('refuses %s with a reason that does not hold the token', (raw, reason) => {
    const url = threadPostUrl(raw, 'ZOHO_CLIQ_WEBHOOK_URL');
    expect(url.ok).toBe(false);
    if (!url.ok) {
      expect(url.error).toMatch(reason);
      expect(url.error).not.toContain('SECRET');
    }
  });
});

describe('threadTarget', () => {
  const channel = `https://cliq.zoho.com/api/v2/channelsbyname/alerts/message${QUERY}`;

  it('posts a first message in the channel and asks Cliq for its id', () => {
    expect(threadTarget(channel, undefined)).toEqual({
      ok: true,
      value: { url: channel, fields: { sync_message: true } },
    });
  });

  it('replies in the parent thread, in the channel too only when asked', () => {
    const thread = `https://cliq.zoho.com/api/v3/channelsbyname/alerts/messages${QUERY}`;
    expect(threadTarget(channel, '1599044334698_117280617320')).toEqual({
      ok: true,
      value: { url: thread, fields: { sync_message: true, thread_message_id: '1599044334698_117280617320' } },
    });
    expect(threadTarget(channel, '1_2', { postInParent: true })).toEqual({
      ok: true,
      value: { url: thread, fields: { sync_message: true, thread_message_id: '1_2', post_in_parent: true } },
    });
  });

  it('refuses an empty parent id and a URL that is not a channel', () => {
    expect(threadTarget(channel, ' ').ok).toBe(false);
    expect(threadTarget('https://cliq.zoho.com/api/v2/bots/b/message?zapikey=SECRET', '1_2')).toMatchObject({
      ok: false,
    });
  });

  it('survives fitMessage: the thread fields reach Cliq', () => {
    const placed = threadTarget(channel, '1_2', { postInParent: true });
    if (!placed.ok) throw new Error(placed.error);
    expect(fitMessage({ text: 'fixed', ...placed.value.fields })).toEqual({
      text: 'fixed',
      sync_message: true,
      thread_message_id: '1_2',
      post_in_parent: true,
    });
  });
});

describe('threadsForbidden', () => {
  const failed = (status: number | undefined, code?: string, throttled = false): DeliveryResult => ({
    ok: false,
    transient: throttled || status === undefined || status >= 500,
    throttled,
    ...(status === undefined ? {} : { status }),
    ...(code === undefined ? {} : { code }),
    message: 'x',
  });

  it.each([
    ['400 operation_not_allowed', failed(400, 'operation_not_allowed'), true],
    ['400 input_invalid', failed(400, 'input_invalid'), true],
    ['401 oauthtoken_invalid', failed(401, 'oauthtoken_invalid'), true],
    ['403', failed(403), true],
    ['404 url_not_found', failed(404, 'url_not_found'), true],
    ['429', failed(429, undefined, true), false],
    ['400 request_limit_exceeded', failed(400, 'request_limit_exceeded', true), false],
    ['408', failed(408), false],
    ['500', failed(500), false],
    ['503', failed(503), false],
    ['no answer', failed(undefined), false],
    ['200', { ok: true, status: 200, messageId: '1_2' } as DeliveryResult, false],
  ])('a thread call answered %s means threads are off: %s', (_answer, result, forbidden) => {
    expect(threadsForbidden(result as DeliveryResult)).toBe(forbidden);
  });
});

describe('messageIdOf', () => {
  it.each([
    ['{"message_id":"1599044334698_117280617320"}', '1599044334698_117280617320'],
    ['{"message_id":1599044334698117280617320}', '1599044334698117280617320'],
    ['{"message_id": 42, "x": 1}', '42'],
    ['{"message_id":"  7_8 "}', '7_8'],
    ['', undefined],
    ['not json', undefined],
    ['[]', undefined],
    ['{"message_id":""}', undefined],
    ['{"message_id":null}', undefined],
    ['{"message_id":{"a":1}}', undefined],
    ['{"message_id":"a\\nb"}', undefined],
    [`{"message_id":"${'9'.repeat(201)}"}`, undefined],
  ])('reads %s as %s', (text, id) => {
    expect(messageIdOf(text)).toBe(id);
  });
});

describe('postToCliq with sync_message', () => {
  const answering = async (status: number, body: string) => {
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/api/v2/channelsbyname/a/message?zapikey=T`;
    try {
      return await postToCliq(fetch, url, { text: 'hi', sync_message: true }, 2000);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  };

  it('carries the id Cliq answers with 200', async () => {
    expect(await answering(200, '{"message_id":"1599044334698_117280617320"}')).toEqual({
      ok: true,
      status: 200,
      messageId: '1599044334698_117280617320',
    });
  });

  it('has no id when Cliq answers 204', async () => {
    expect(await answering(204, '')).toEqual({ ok: true, status: 204 });
  });
});
