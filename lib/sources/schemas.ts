import { AlertmanagerEvent } from './alertmanager/facts';
import { DockerEvent } from './docker/facts';
import { GithubEvent } from './github/facts';
import { GitlabEvent } from './gitlab/facts';
import { GrafanaEvent } from './grafana/facts';
import { SentryEvent } from './sentry/facts';

/** Each source's event schema: one entry per source, next to its adapter in registry.ts. */
export const EVENT_SCHEMAS = [
  GithubEvent,
  SentryEvent,
  DockerEvent,
  AlertmanagerEvent,
  GrafanaEvent,
  GitlabEvent,
] as const;
