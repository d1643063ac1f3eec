import type { CliqMessage } from '../cliq/message';
import type { Source, VigilEvent } from '../event/model';
import { alertmanager } from './alertmanager/adapter';
import { docker } from './docker/adapter';
import { github } from './github/adapter';
import { gitlab } from './gitlab/adapter';
import { grafana } from './grafana/adapter';
import { sentry } from './sentry/adapter';
import type { SourceAdapter } from './source';

/** Every source Vigil accepts, by name. One line per source. */
export const SOURCES: { readonly [S in Source]: SourceAdapter<Extract<VigilEvent, { source: S }>> } = {
  github,
  sentry,
  docker,
  alertmanager,
  grafana,
  gitlab,
};

export const sourceList = (): readonly SourceAdapter[] => Object.values(SOURCES) as readonly SourceAdapter[];

export const formatEvent = (event: VigilEvent): CliqMessage =>
  (SOURCES[event.source] as SourceAdapter).format(event);

/** The development secrets of every source, for local runs with nothing configured. */
export const developmentSecrets = (): Readonly<Record<string, string>> =>
  Object.assign({}, ...sourceList().map((source) => source.developmentSecrets));
