import { GithubEvent } from './github/facts';

/** Each source's event schema: one entry per source, next to its adapter in registry.ts. */
export const EVENT_SCHEMAS = [GithubEvent] as const;
