import * as v from 'valibot';
import { CHANNEL_NAME } from '../channels';
import { DeliveryPolicy, policyChecks } from '../delivery/policy';
import { OUTCOMES, SEVERITIES } from '../event/fields';
import { SOURCE_NAMES } from '../sources/registry';
import { NamedTimeInterval } from '../time/interval-schema';
import { SEVERITY_AT_LEAST } from './severity';

const glob = v.pipe(
  v.string('must be a text pattern'),
  v.minLength(1, 'must not be empty'),
  v.maxLength(200, 'is longer than 200 characters'),
);
const oneOrMany = <T extends v.GenericSchema>(item: T) =>
  v.union([item, v.pipe(v.array(item), v.minLength(1, 'must list at least one value'))]);
const channelName = v.pipe(
  v.string('must be a channel name'),
  v.regex(CHANNEL_NAME, 'must be lower-case letters, digits, - or _ (it names the CLIQ_URL_<NAME> secret)'),
);

/** Words the sources use for a result, accepted in `outcome` as the outcome they mean. */
export const OUTCOME_ALIASES: Readonly<Record<string, (typeof OUTCOMES)[number]>> = {
  error: 'failure',
  failed: 'failure',
  timed_out: 'failure',
  firing: 'failure',
  canceled: 'cancelled',
  succeeded: 'success',
  passed: 'success',
  resolved: 'success',
  in_progress: 'pending',
  queued: 'pending',
  running: 'pending',
};

const outcome = v.pipe(
  v.string('must be an outcome'),
  v.check(
    (value) => (OUTCOMES as readonly string[]).includes(value) || value in OUTCOME_ALIASES,
    `must be one of ${OUTCOMES.join(', ')} (or a source's word for one: ${Object.keys(OUTCOME_ALIASES).join(', ')})`,
  ),
  v.transform((value) => (OUTCOME_ALIASES[value] ?? value) as (typeof OUTCOMES)[number]),
);

const SEVERITY_RULE = `must be one of ${SEVERITIES.join(', ')}, a list of them, or a threshold like ">= warning"`;

export const Match = v.strictObject(
  {
    source: v.optional(oneOrMany(v.picklist(SOURCE_NAMES, `must be one of ${SOURCE_NAMES.join(', ')}`))),
    kind: v.optional(oneOrMany(glob)),
    repository: v.optional(oneOrMany(glob)),
    project: v.optional(oneOrMany(glob)),
    service: v.optional(oneOrMany(glob)),
    branch: v.optional(oneOrMany(glob)),
    default_branch: v.optional(v.boolean('must be true or false')),
    environment: v.optional(oneOrMany(glob)),
    actor: v.optional(oneOrMany(glob)),
    bots: v.optional(v.boolean('must be true or false')),
    outcome: v.optional(oneOrMany(outcome)),
    severity: v.optional(
      v.union(
        [v.pipe(v.string(), v.regex(SEVERITY_AT_LEAST, SEVERITY_RULE)), oneOrMany(v.picklist(SEVERITIES))],
        SEVERITY_RULE,
      ),
    ),
    labels: v.optional(oneOrMany(glob)),
  },
  'has an unknown key (use source, kind, repository, project, service, branch, default_branch, environment, actor, bots, outcome, severity, labels)',
);
export type Match = v.InferOutput<typeof Match>;

const POLICY_KEYS = Object.keys(DeliveryPolicy.entries).join(', ');

const RouteKeys = v.strictObject(
  {
    name: v.pipe(v.string('must be text'), v.minLength(1, 'must not be empty')),
    match: v.optional(Match, {}),
    to: v.optional(oneOrMany(channelName)),
    drop: v.optional(v.boolean('must be true or false')),
    ...DeliveryPolicy.entries,
    continue: v.optional(v.boolean('must be true or false')),
  },
  `has an unknown key (routes take name, match, to, drop, ${POLICY_KEYS}, continue)`,
);

export const Route = v.pipe(
  RouteKeys,
  v.check((route) => route.drop === true || route.to !== undefined, 'needs `to: [channels]` or `drop: true`'),
  v.check(
    (route) => !(route.drop === true && route.to !== undefined),
    'cannot both `drop` and send `to` channels',
  ),
  ...policyChecks<v.InferOutput<typeof RouteKeys>>(),
);
export type Route = v.InferOutput<typeof Route>;

/** Names the Cliq user whose rate budget a channel spends; it becomes that user's FIFO group and pacer key. */
export const OWNER_NAME = /^[a-z][a-z0-9_.@-]{0,63}$/;
/** A run this long of hex digits is a token or a hash, not a name: refused, so a token cannot be pasted here. */
const TOKEN_LIKE = /[0-9a-f]{16,}/;

const ownerName = v.pipe(
  v.string('must be the name of the Cliq user who owns the channel’s token'),
  v.regex(
    OWNER_NAME,
    'must be a short name for the Cliq user (a letter, then up to 63 lower-case letters, digits, _ . @ or -)',
  ),
  v.check(
    (name) => !TOKEN_LIKE.test(name),
    'looks like a token or a hash: name the Cliq user instead (such as alice or alice@acme.com), never the token',
  ),
);

const ChannelKeys = v.strictObject(
  {
    bot_unique_name: v.optional(
      v.pipe(v.string(), v.regex(/^[a-z0-9_]{1,100}$/i, 'must be the bot’s unique name')),
    ),
    bot: v.optional(
      v.strictObject(
        {
          name: v.optional(v.pipe(v.string(), v.maxLength(100, 'is longer than 100 characters'))),
          image: v.optional(v.pipe(v.string(), v.regex(/^https:\/\//, 'must be an https:// URL'))),
        },
        'takes only name and image',
      ),
    ),
    /** Channels with one owner share one rate budget; without it, each token is its own owner. */
    owner: v.optional(ownerName),
    threads: v.optional(v.boolean('must be true or false')),
    /** The channel's own delivery policy: its routes' policies override it key by key. */
    ...DeliveryPolicy.entries,
  },
  `has an unknown key (channels take bot_unique_name, bot, owner, threads, ${POLICY_KEYS})`,
);
export const Channel = v.pipe(ChannelKeys, ...policyChecks<v.InferOutput<typeof ChannelKeys>>());
export type Channel = v.InferOutput<typeof Channel>;

const hookId = v.pipe(
  v.number('must be the hook’s numeric id (Settings → Webhooks: the number at the end of its URL)'),
  v.integer('must be a whole number'),
  v.minValue(1, 'must be a positive number'),
);

/**
 * A GitHub webhook whose failed deliveries Vigil redelivers: an organization's (`org`) or a repository's
 * (`repo: owner/name`), by id.
 */
export const GithubHook = v.pipe(
  v.strictObject(
    {
      org: v.optional(
        v.pipe(
          v.string('must be an organization’s login'),
          v.regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'must be an organization’s login, such as acme'),
        ),
      ),
      repo: v.optional(
        v.pipe(
          v.string('must be a repository as owner/name'),
          v.regex(
            /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/,
            'must be a repository as owner/name, such as acme/api',
          ),
        ),
      ),
      id: hookId,
    },
    'has an unknown key (a hook takes org or repo, and id)',
  ),
  v.check(
    (hook) => (hook.org === undefined) !== (hook.repo === undefined),
    'must name exactly one of `org: <organization>` or `repo: <owner>/<name>`, with its `id`',
  ),
);
export type GithubHook = v.InferOutput<typeof GithubHook>;

const Github = v.strictObject(
  { hooks: v.optional(v.array(GithubHook, 'must be a list of hooks, such as [{ org: acme, id: 123 }]'), []) },
  'has an unknown key (github takes hooks)',
);

export const RoutingConfig = v.strictObject(
  {
    default: v.union([v.literal('drop'), channelName], 'must be a channel name or drop'),
    channels: v.optional(v.record(channelName, v.nullish(Channel, {})), {}),
    routes: v.optional(v.array(Route, 'must be a list of routes'), []),
    /** Alertmanager's `time_intervals`, for `hold_during`. */
    time_intervals: v.optional(v.array(NamedTimeInterval, 'must be a list of named time intervals')),
    /** The GitHub webhooks whose failed deliveries are redelivered (with GITHUB_API_TOKEN set). */
    github: v.optional(Github),
  },
  'has an unknown top-level key (the file takes default, channels, routes, time_intervals, github)',
);
export type RoutingConfig = v.InferOutput<typeof RoutingConfig>;
