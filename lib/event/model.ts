import * as v from 'valibot';
import { AlertmanagerEvent } from '../sources/alertmanager/facts';
import { DockerEvent } from '../sources/docker/facts';
import { GithubEvent } from '../sources/github/facts';
import { GitlabEvent } from '../sources/gitlab/facts';
import { GrafanaEvent } from '../sources/grafana/facts';
import { SentryEvent } from '../sources/sentry/facts';

/**
 * Vigil's normalized event, version 1: the one schema ingest produces and the sender re-validates — the shared
 * envelope (lib/event/fields.ts) plus each source's typed facts. One line per source: its schema, from its
 * folder's facts.ts, which imports only lib/event/fields. This module imports nothing else from lib/sources,
 * so the event and the sources never import each other in a cycle (tests/unit/import-cycles.test.ts).
 * lib/sources/events.ts and lib/sources/registry.ts name the same sources (the compiler checks).
 */
export const VigilEvent = v.variant('source', [
  GithubEvent,
  GitlabEvent,
  SentryEvent,
  DockerEvent,
  AlertmanagerEvent,
  GrafanaEvent,
]);
export type VigilEvent = v.InferOutput<typeof VigilEvent>;
export type Source = VigilEvent['source'];
