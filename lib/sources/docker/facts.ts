import * as v from 'valibot';
import { bounded, envelopeEntries, isoTime, LIMITS } from '../../event/fields';

const hubPush = v.object({
  type: v.literal('hub_push'),
  repository: bounded(LIMITS.name),
  tag: v.optional(bounded(128)),
  pusher: v.optional(bounded(LIMITS.name)),
  pushedAt: v.optional(isoTime),
  isPrivate: v.boolean(),
});

const container = v.object({
  type: v.literal('container'),
  action: bounded(60),
  container: bounded(LIMITS.name),
  containerId: v.optional(bounded(64)),
  image: v.optional(bounded(LIMITS.name)),
  exitCode: v.optional(bounded(10)),
  signal: v.optional(bounded(10)),
  health: v.optional(bounded(40)),
  host: v.optional(bounded(LIMITS.name)),
});

export const DockerFacts = v.variant('type', [hubPush, container]);
export const DockerEvent = v.object({ ...envelopeEntries, source: v.literal('docker'), facts: DockerFacts });
export type DockerEvent = v.InferOutput<typeof DockerEvent>;
