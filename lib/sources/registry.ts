import type { Source, VigilEvent } from '../event/model';
import { alertmanager } from './alertmanager/adapter';
import { alertmanagerSamples } from './alertmanager/samples';
import { docker } from './docker/adapter';
import { dockerSamples } from './docker/samples';
import { github } from './github/adapter';
import { githubSamples } from './github/samples';
import { gitlab } from './gitlab/adapter';
import { gitlabSamples } from './gitlab/samples';
import { grafana } from './grafana/adapter';
import { grafanaSamples } from './grafana/samples';
import { sentry } from './sentry/adapter';
import { sentrySamples } from './sentry/samples';
import type { SourceAdapter, SourceSamples } from './source';

/** A source as tools and tests know it: its ingest adapter, and how to speak as it. */
export type RegisteredSource<E extends VigilEvent = VigilEvent> = SourceAdapter<E> & {
  readonly samples: SourceSamples;
};

const registered = <E extends VigilEvent>(
  adapter: SourceAdapter<E>,
  samples: SourceSamples,
): RegisteredSource<E> => ({ ...adapter, samples });

/**
 * Every source Vigil accepts, by name: one line per source. Routing's source names, the local stack's routes,
 * `explain`'s event headers, events/ and every test table derive from it; lib/sources/events.ts lists the same
 * sources for the sender, lib/event/model.ts their schemas, and serverless.yml one function each (the compiler
 * and tests/unit/source-registry.test.ts hold them to it).
 * No Lambda imports this file but health: each ingest function imports only its own adapter.
 */
export const SOURCES: { readonly [S in Source]: RegisteredSource<Extract<VigilEvent, { source: S }>> } = {
  github: registered(github, githubSamples),
  gitlab: registered(gitlab, gitlabSamples),
  sentry: registered(sentry, sentrySamples),
  docker: registered(docker, dockerSamples),
  alertmanager: registered(alertmanager, alertmanagerSamples),
  grafana: registered(grafana, grafanaSamples),
};

export const SOURCE_NAMES = Object.keys(SOURCES) as [Source, ...Source[]];

export const sourceList = (): readonly RegisteredSource[] =>
  Object.values(SOURCES) as readonly RegisteredSource[];

export const isSource = (name: string): name is Source => Object.hasOwn(SOURCES, name);

/** The development secrets of every source, for local runs with nothing configured. */
export const developmentSecrets = (): Readonly<Record<string, string>> =>
  Object.assign({}, ...sourceList().map((source) => source.developmentSecrets));
