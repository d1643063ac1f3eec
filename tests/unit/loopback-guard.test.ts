import { checkLoopbackRequest, type LoopbackRequest } from '../../tools/local/loopback-guard';

const PORT = 9324;
const request = (overrides: Partial<LoopbackRequest>): LoopbackRequest => ({
  method: 'POST',
  host: `127.0.0.1:${PORT}`,
  origin: undefined,
  secFetchSite: undefined,
  port: PORT,
  ...overrides,
});

describe('checkLoopbackRequest', () => {
  it.each<[string, Partial<LoopbackRequest>]>([
    ['an SDK or curl request to 127.0.0.1', {}],
    ['a request to localhost on any port', { host: 'localhost:3000' }],
    ['a request to any 127.0.0.0/8 address', { host: '127.1.2.3' }],
    ['a request to [::1]', { host: '[::1]:9324' }],
    ['a Host in capitals', { host: 'LOCALHOST:9324' }],
    [
      'a same-origin page of the listener',
      { origin: `http://127.0.0.1:${PORT}`, secFetchSite: 'same-origin' },
    ],
    ['a same-origin page under localhost', { host: `localhost:${PORT}`, origin: `http://localhost:${PORT}` }],
    ['a navigation typed into the address bar', { method: 'GET', secFetchSite: 'none' }],
  ])('answers %s', (_, overrides) => {
    expect(checkLoopbackRequest(request(overrides))).toEqual({ ok: true });
  });

  it.each<[string, Partial<LoopbackRequest>, 403 | 403, string]>([
    ['a rebound host name', { host: 'rebind.evil.example' }, 403, 'Host rebind.evil.example'],
    [
      'a rebound name with the port',
      { host: 'rebind.evil.example:9324' },
      403,
      'Host rebind.evil.example:9324',
    ],
    ['a LAN address', { host: '192.168.1.5:9324' }, 403, 'Host 192.168.1.5:9324'],
    [
      'a name that only starts like loopback',
      { host: '127.0.0.1.evil.example' },
      403,
      'Host 127.0.0.1.evil.example',
    ],
    ['an address past 127.255.255.255', { host: '127.0.0.256' }, 403, 'Host 127.0.0.256'],
    ['no Host at all', { host: undefined }, 403, 'Host (none)'],
    ['a page of another site', { origin: 'https://evil.example' }, 403, 'Origin https://evil.example'],
    [
      'a page on another loopback port',
      { origin: 'http://127.0.0.1:8080' },
      403,
      'Origin http://127.0.0.1:8080',
    ],
    ['a page from a sandboxed frame', { origin: 'null' }, 403, 'Origin null'],
    ['an https page of the same port', { origin: `https://127.0.0.1:${PORT}` }, 403, 'Origin https://'],
    ['a cross-site request without Origin', { secFetchSite: 'cross-site' }, 403, 'Sec-Fetch-Site cross-site'],
    ['a same-site request', { secFetchSite: 'same-site' }, 403, 'Sec-Fetch-Site same-site'],
    ['a CORS preflight', { method: 'OPTIONS' }, 403, 'CORS preflight'],
    ['a same-origin preflight', { method: 'options', origin: `http://127.0.0.1:${PORT}` }, 403, 'OPTIONS'],
  ])('refuses %s', (_, overrides, status, names) => {
    const verdict = checkLoopbackRequest(request(overrides));
    expect(verdict).toEqual({ ok: false, status, reason: expect.stringContaining(names) });
    if (!verdict.ok) expect(verdict.reason).toMatch(/^refused: [^\n]+$/);
  });
});
