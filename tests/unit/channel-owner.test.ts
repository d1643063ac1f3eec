import { ownerOf } from '../../lib/cliq/channel-url';
import type { VigilEvent } from '../../lib/event/model';
import { routedDestinations } from '../../lib/ingest/destinations';
import { toOutbound } from '../../lib/queue/message';
import { describeProblem, parseRoutingConfig } from '../../lib/routing/parse';
import type { RoutingConfig } from '../../lib/routing/schema';
import { githubPush } from '../helpers/github-push';

/*
 * Zoho Cliq's rate limit is per user, not per token or channel, and one user may hold up to five tokens
 * (shared/specs/zoho-cliq.md, "Rate limit" and "zapikey"). A channel may therefore name its Cliq user as
 * `owner`, and channels with one owner share one FIFO group: SQS serializes a group, and the sender's pacer
 * keys on the group id (MessageGroupId).
 */

const parse = (text: string): RoutingConfig => {
  const parsed = parseRoutingConfig(text, 'vigil.config.yaml');
  if (!parsed.ok) throw new Error(parsed.error.map(describeProblem).join('\n'));
  return parsed.value;
};

const TOKENS = {
  ops: '1001.0123456789abcdef0123456789abcdef.fedcba9876543210fedcba9876543210',
  dev: '1001.00112233445566778899aabbccddeeff.ffeeddccbbaa99887766554433221100',
  solo: '1001.aaaabbbbccccddddeeeeffff00001111.22223333444455556666777788889999',
};
const url = (channel: string, token: string) =>
  `https://cliq.zoho.com/api/v2/channelsbyname/${channel}/message?zapikey=${token}`;
const SECRETS = {
  ZOHO_CLIQ_WEBHOOK_URL: url('ops', TOKENS.ops),
  CLIQ_URL_DEV: url('dev', TOKENS.dev),
  CLIQ_URL_SOLO: url('solo', TOKENS.solo),
};

const CONFIG = parse(`
default: default
channels:
  default: { owner: alice@acme.com }
  dev: { owner: alice@acme.com }
  solo: {}
routes:
  - { name: everywhere, to: [default, dev, solo] }
`);

const push = (): VigilEvent => githubPush('d-1');

const queuedGroups = (config: RoutingConfig, previewWhenUnset = false) => {
  const event = push();
  const routed = routedDestinations({ config, previewWhenUnset })(event, SECRETS, new Date());
  if (!routed.ok) throw new Error(routed.error.message);
  return Object.fromEntries(
    routed.value.destinations.map((destination) => [
      destination.channel,
      toOutbound(event, destination).groupId,
    ]),
  );
};

describe('a channel’s rate-limit owner', () => {
  it('puts channels with different tokens but one owner in one FIFO group', () => {
    const groups = queuedGroups(CONFIG);
    expect(groups.default).toBe('user-alice@acme.com');
    expect(groups.dev).toBe(groups.default);
  });

  it('keeps a channel without an owner in its own token’s group, as before', () => {
    const groups = queuedGroups(CONFIG);
    expect(groups.solo).toBe(ownerOf(TOKENS.solo));
    expect(groups.solo).not.toBe(groups.default);
  });

  it('gives one owner one group in local preview too, where a channel has no URL', () => {
    const config = parse(
      'default: default\nchannels:\n  default: { owner: alice }\n  spare: { owner: alice }\nroutes:\n  - { name: r, to: [default, spare] }\n',
    );
    expect(queuedGroups(config, true)).toEqual({ default: 'user-alice', spare: 'user-alice' });
  });

  it('never puts a token in a group id', () => {
    for (const group of Object.values(queuedGroups(CONFIG)))
      for (const token of Object.values(TOKENS)) expect(group).not.toContain(token);
  });

  it('cannot name its way into a token’s group: a named owner’s group id is prefixed apart from token hashes', () => {
    const hash = ownerOf(TOKENS.ops); // cliq-<hex>
    const config = parse(`default: default\nchannels:\n  default: { owner: ${hash.slice(0, 16)} }\n`);
    expect(queuedGroups(config).default).toBe(`user-${hash.slice(0, 16)}`);
  });
});

describe('parseRoutingConfig rejects an owner that is not a short user name', () => {
  const broken: [string, string, RegExp][] = [
    [
      'capitals',
      'default: drop\nchannels:\n  ops: { owner: Alice }\n',
      /:3:\d+: channels\.ops\.owner must be a short name for the Cliq user \(a letter, then up to 63 lower-case letters, digits, _ \. @ or -\)/,
    ],
    [
      'a space',
      'default: drop\nchannels:\n  ops: { owner: "alice smith" }\n',
      /channels\.ops\.owner must be a short name for the Cliq user/,
    ],
    [
      'a pasted Cliq token',
      `default: drop\nchannels:\n  ops: { owner: "${TOKENS.ops}" }\n`,
      /channels\.ops\.owner must be a short name for the Cliq user/,
    ],
    [
      'a name carrying a token’s hex',
      'default: drop\nchannels:\n  ops: { owner: "alice-0123456789abcdef0123" }\n',
      /channels\.ops\.owner looks like a token or a hash: name the Cliq user instead/,
    ],
    [
      'a name over 64 characters',
      `default: drop\nchannels:\n  ops: { owner: ${'a'.repeat(65)} }\n`,
      /channels\.ops\.owner must be a short name/,
    ],
    [
      'a number',
      'default: drop\nchannels:\n  ops: { owner: 42 }\n',
      /channels\.ops\.owner must be the name of the Cliq user/,
    ],
  ];

  it.each(broken)('%s', (_name, text, message) => {
    const parsed = parseRoutingConfig(text, 'vigil.config.yaml');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.map(describeProblem).join('\n')).toMatch(message);
  });

  it('never echoes a pasted token in the problem', () => {
    const parsed = parseRoutingConfig(
      `default: drop\nchannels:\n  ops: { owner: "${TOKENS.ops}" }\n`,
      'vigil.config.yaml',
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.map(describeProblem).join('\n')).not.toContain(TOKENS.ops);
  });

  it.each(['alice', 'alice@acme.com', 'ops.bot_1', 'team-sre'])('accepts %s', (owner) => {
    expect(parse(`default: drop\nchannels:\n  ops: { owner: "${owner}" }\n`).channels.ops?.owner).toBe(owner);
  });
});
