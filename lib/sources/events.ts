import * as v from 'valibot';
import type { CliqMessage } from '../cliq/message';
import { AlertmanagerEvent } from './alertmanager/facts';
import { formatAlertmanager } from './alertmanager/format';
import { DockerEvent } from './docker/facts';
import { formatDocker } from './docker/format';
import { GithubEvent } from './github/facts';
import { formatGithub } from './github/format';
import { GitlabEvent } from './gitlab/facts';
import { formatGitlab } from './gitlab/format';
import { GrafanaEvent } from './grafana/facts';
import { formatGrafana } from './grafana/format';
import { SentryEvent } from './sentry/facts';
import { formatSentry } from './sentry/format';
import type { SourceEvents } from './source';

/**
 * The events each source produces, as the sender sees them: the schema a queued event passes again and the
 * card it becomes. One line per source; lib/sources/registry.ts must name the same sources (the compiler checks).
 * The sender bundles this file, so it holds no normalizer, verifier or sample.
 */
export const SOURCE_EVENTS = {
  github: { schema: GithubEvent, format: formatGithub },
  gitlab: { schema: GitlabEvent, format: formatGitlab },
  sentry: { schema: SentryEvent, format: formatSentry },
  docker: { schema: DockerEvent, format: formatDocker },
  alertmanager: { schema: AlertmanagerEvent, format: formatAlertmanager },
  grafana: { schema: GrafanaEvent, format: formatGrafana },
} as const;

type Schemas = { [S in keyof typeof SOURCE_EVENTS]: (typeof SOURCE_EVENTS)[S]['schema'] };
type SchemaList = Schemas[keyof Schemas][];

/**
 * Vigil's normalized event, version 1: the one schema ingest produces and the sender re-validates — the shared
 * envelope plus each source's typed facts.
 */
export const VigilEvent = v.variant(
  'source',
  Object.values(SOURCE_EVENTS).map((entry) => entry.schema) as SchemaList,
);
export type VigilEvent = v.InferOutput<typeof VigilEvent>;
export type Source = VigilEvent['source'];

// the compiler checks that every entry's formatter takes its own source's events
const bySource: { readonly [S in Source]: SourceEvents<Extract<VigilEvent, { source: S }>> } = SOURCE_EVENTS;

export const formatEvent = (event: VigilEvent): CliqMessage =>
  (bySource[event.source] as SourceEvents).format(event);
