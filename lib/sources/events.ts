import type { CliqMessage } from '../cliq/message';
import type { Source, VigilEvent } from '../event/model';
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
 * card it becomes. One line per source; lib/event/model.ts and lib/sources/registry.ts name the same sources
 * (the compiler checks).
 * The sender bundles this file, so it holds no normalizer, verifier or sample.
 */
export const SOURCE_EVENTS: { readonly [S in Source]: SourceEvents<Extract<VigilEvent, { source: S }>> } = {
  github: { schema: GithubEvent, format: formatGithub },
  gitlab: { schema: GitlabEvent, format: formatGitlab },
  sentry: { schema: SentryEvent, format: formatSentry },
  docker: { schema: DockerEvent, format: formatDocker },
  alertmanager: { schema: AlertmanagerEvent, format: formatAlertmanager },
  grafana: { schema: GrafanaEvent, format: formatGrafana },
};

export const formatEvent = (event: VigilEvent): CliqMessage =>
  (SOURCE_EVENTS[event.source] as SourceEvents).format(event);
