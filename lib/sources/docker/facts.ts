import * as v from 'valibot';
import { bounded, envelopeEntries, isoTime, LIMITS } from '../../event/fields';

/** Docker's own field limits; the normalizer clips to the same table. */
export const DOCKER_LIMITS = { tag: 128, containerId: 64, exitCode: 10, signal: 10 } as const;

const hubPush = v.object({
  type: v.literal('hub_push'),
  repository: bounded(LIMITS.name),
  tag: v.optional(bounded(DOCKER_LIMITS.tag)),
  pusher: v.optional(bounded(LIMITS.name)),
  pushedAt: v.optional(isoTime),
  isPrivate: v.boolean(),
});

const container = v.object({
  type: v.literal('container'),
  action: bounded(LIMITS.action),
  container: bounded(LIMITS.name),
  containerId: v.optional(bounded(DOCKER_LIMITS.containerId)),
  image: v.optional(bounded(LIMITS.name)),
  exitCode: v.optional(bounded(DOCKER_LIMITS.exitCode)),
  signal: v.optional(bounded(DOCKER_LIMITS.signal)),
  health: v.optional(bounded(LIMITS.state)),
  host: v.optional(bounded(LIMITS.name)),
});

export const DockerFacts = v.variant('type', [hubPush, container]);
export const DockerEvent = v.object({ ...envelopeEntries, source: v.literal('docker'), facts: DockerFacts });
export type DockerEvent = v.InferOutput<typeof DockerEvent>;
