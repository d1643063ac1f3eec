import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../lib/config';
import { parseRoutingConfig } from '../../lib/routing/parse';
import { hookName, hookPath, nextLink } from '../../lib/sources/github/redeliver/api';
import { type Delivery, toRedeliver } from '../../lib/sources/github/redeliver/delivery';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const minutesAgo = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();
let ids = 1;
/** A delivery as GitHub's `hook-delivery-item` lists it. */
const delivery = (guid: string, status_code: number, minutes: number, redelivery = false): Delivery => ({
  id: ids++,
  guid,
  delivered_at: minutesAgo(minutes),
  redelivery,
  status: status_code >= 200 && status_code < 300 ? 'OK' : 'Invalid HTTP Response: 429',
  status_code,
  event: 'workflow_job',
  action: 'completed',
});
const since = NOW - 180 * 60_000;
const picked = (deliveries: Delivery[]) => toRedeliver(deliveries, since).map((r) => r.delivery.guid);

describe('toRedeliver', () => {
  it('picks an event GitHub was refused (429, 5xx) or got no answer for (status_code 0)', () => {
    expect(picked([delivery('a', 429, 5), delivery('b', 503, 6), delivery('c', 0, 7)]).sort()).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('leaves events Vigil took (any 2xx) alone', () => {
    expect(picked([delivery('a', 202, 5), delivery('b', 200, 6)])).toEqual([]);
  });

  it('skips an event a later redelivery already got through, by hand or by an earlier run', () => {
    expect(picked([delivery('a', 202, 1, true), delivery('a', 429, 5)])).toEqual([]);
  });

  it('asks again for an event whose redelivery failed too, once, naming the first delivery', () => {
    const first = delivery('a', 429, 20);
    const [only, ...rest] = toRedeliver(
      [delivery('a', 503, 10, true), delivery('a', 0, 15, true), first],
      since,
    );
    expect(rest).toEqual([]);
    expect(only).toEqual({ delivery: first, failedAttempts: 3 });
  });

  it('stops retrying once the first delivery is older than the window, even if redeliveries are recent', () => {
    expect(picked([delivery('a', 503, 5, true), delivery('a', 429, 200)])).toEqual([]);
    expect(picked([delivery('b', 503, 5, true)])).toEqual([]);
  });

  it('orders what it picks oldest first', () => {
    expect(picked([delivery('new', 429, 1), delivery('old', 429, 100), delivery('mid', 0, 50)])).toEqual([
      'old',
      'mid',
      'new',
    ]);
  });
});

describe('nextLink', () => {
  // "Using pagination in the REST API": the Link header lists rel="next", "prev", "first", "last" targets
  it('finds the next page among the other relations', () => {
    const header =
      '<https://api.github.com/repos/acme/api/hooks/456/deliveries?per_page=100&cursor=v1_12>; rel="prev", <https://api.github.com/repos/acme/api/hooks/456/deliveries?per_page=100&cursor=v1_9>; rel="next"';
    expect(nextLink(header)).toBe(
      'https://api.github.com/repos/acme/api/hooks/456/deliveries?per_page=100&cursor=v1_9',
    );
  });

  it('has none on the last page', () => {
    expect(nextLink('<https://api.github.com/x?cursor=v1_1>; rel="prev"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
});

describe('hook paths', () => {
  it('names the repository and organization endpoints GitHub documents', () => {
    expect(hookPath({ repo: 'acme/api', id: 456 })).toBe('repos/acme/api/hooks/456');
    expect(hookPath({ org: 'acme', id: 123 })).toBe('orgs/acme/hooks/123');
    expect(hookName({ org: 'acme', id: 123 })).toBe('org acme hook 123');
  });
});

describe('the routing file’s github.hooks', () => {
  const parse = (hooks: string) =>
    parseRoutingConfig(`default: drop\ngithub:\n  hooks: ${hooks}\n`, 'vigil.config.yaml');

  it('takes organization and repository hooks by id', () => {
    const parsed = parse('[{ org: acme, id: 123 }, { repo: acme/api, id: 456 }]');
    expect(parsed.ok && parsed.value.github?.hooks).toEqual([
      { org: 'acme', id: 123 },
      { repo: 'acme/api', id: 456 },
    ]);
  });

  it.each([
    [
      'both org and repo',
      '[{ org: acme, repo: acme/api, id: 1 }]',
      'github.hooks[0] must name exactly one of `org',
    ],
    ['neither', '[{ id: 1 }]', 'github.hooks[0] must name exactly one of `org'],
    [
      'a repository without its owner',
      '[{ repo: api, id: 1 }]',
      'github.hooks[0].repo must be a repository as owner/name',
    ],
    ['an id of 0', '[{ org: acme, id: 0 }]', 'github.hooks[0].id must be a positive number'],
    [
      'an id as a URL',
      '[{ org: acme, id: "https://github.com/acme" }]',
      'github.hooks[0].id must be the hook’s numeric id',
    ],
    ['no id', '[{ org: acme }]', 'github.hooks[0].id is missing'],
    ['a fractional id', '[{ org: acme, id: 1.5 }]', 'github.hooks[0].id must be a whole number'],
    ['an unknown key', '[{ org: acme, id: 1, secret: x }]', 'github.hooks[0] has an unknown key "secret"'],
  ])('refuses a hook with %s, saying what to fix', (_name, hooks, message) => {
    const parsed = parse(hooks);
    expect(parsed.ok).toBe(false);
    const problems = parsed.ok ? [] : parsed.error.map((problem) => `${problem.field} ${problem.message}`);
    expect(problems.join('\n')).toContain(message);
  });

  it('accepts the README’s example', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const example = readme.match(/```yaml\n((?: {3})?github:\n[\s\S]*?) *```/)?.[1] ?? '';
    const parsed = parseRoutingConfig(`default: drop\n${example.replace(/^ {3}/gm, '')}`, 'README.md');
    expect(parsed.ok && parsed.value.github?.hooks).toEqual([
      { org: 'acme', id: 123 },
      { repo: 'acme/api', id: 456 },
    ]);
  });

  it('is optional: a file without it has no hooks', () => {
    const parsed = parseRoutingConfig('default: drop\n', 'vigil.config.yaml');
    expect(parsed.ok && parsed.value.github).toBeUndefined();
  });
});

describe('GITHUB_API_URL', () => {
  it('defaults to api.github.com and refuses plain http except to a loopback stand-in, since the token goes there', () => {
    expect(loadConfig({}).githubApiUrl).toBe('https://api.github.com');
    expect(loadConfig({ GITHUB_API_URL: 'https://ghe.acme.com/api/v3/' }).githubApiUrl).toBe(
      'https://ghe.acme.com/api/v3',
    );
    expect(loadConfig({ GITHUB_API_URL: 'http://127.0.0.1:4000' }).githubApiUrl).toBe(
      'http://127.0.0.1:4000',
    );
    expect(() => loadConfig({ GITHUB_API_URL: 'http://ghe.acme.com/api/v3' })).toThrow(
      /GITHUB_API_URL must be an https:\/\/ URL/,
    );
  });
});
