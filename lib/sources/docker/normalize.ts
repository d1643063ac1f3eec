import { envelope } from '../../event/envelope';
import { kindSegment, LIMITS, type Outcome, type Severity } from '../../event/fields';
import { sha256Hex } from '../../util/hash';
import { at, bool, num, str } from '../../util/json';
import { clip } from '../../util/text';
import { isoFromEpoch } from '../../util/time';
import { httpUrlOf } from '../../util/url';
import { DOCKER_LIMITS, type DockerEvent } from './facts';

export const isHubPush = (payload: Record<string, unknown>): boolean =>
  at(payload, 'push_data') !== undefined && at(payload, 'repository') !== undefined;

export const normalizeHubPush = (payload: Record<string, unknown>, receivedAt: string): DockerEvent => {
  const repository =
    str(payload, 'repository', 'repo_name') ??
    [str(payload, 'repository', 'namespace'), str(payload, 'repository', 'name')].filter(Boolean).join('/');
  const tag = str(payload, 'push_data', 'tag');
  const pusher = str(payload, 'push_data', 'pusher');
  const pushedAt = isoFromEpoch(num(payload, 'push_data', 'pushed_at'));
  const url = httpUrlOf(str(payload, 'repository', 'repo_url'));
  const identity = str(payload, 'callback_url') ?? `${repository}:${tag ?? ''}:${pushedAt ?? ''}`;
  return envelope('docker', {
    id: `docker:hub:${sha256Hex(identity)}`,
    kind: 'hub.push',
    occurredAt: pushedAt,
    receivedAt,
    severity: 'info',
    outcome: 'success',
    subject: { name: repository || 'Docker Hub', url },
    actor: pusher === undefined ? undefined : { name: pusher, bot: false },
    title: `${pusher === undefined ? '' : `${pusher} `}pushed ${repository}${tag === undefined ? '' : `:${tag}`}`,
    url,
    facts: {
      type: 'hub_push',
      repository: clip(repository || 'unknown', LIMITS.name),
      ...(tag === undefined ? {} : { tag: clip(tag, DOCKER_LIMITS.tag) }),
      ...(pusher === undefined ? {} : { pusher: clip(pusher, LIMITS.name) }),
      ...(pushedAt === undefined ? {} : { pushedAt }),
      isPrivate: bool(payload, 'repository', 'is_private'),
    },
  });
};

interface Reading {
  readonly title: string;
  readonly severity: Severity;
  readonly outcome: Outcome;
}

const read = (
  action: string,
  name: string,
  exitCode: string | undefined,
  signal: string | undefined,
): Reading => {
  switch (action) {
    case 'die':
      return exitCode === '0'
        ? { title: `Container ${name} exited cleanly`, severity: 'info', outcome: 'success' }
        : {
            title: `Container ${name} exited with code ${exitCode ?? '?'}`,
            severity: 'error',
            outcome: 'failure',
          };
    case 'oom':
      return { title: `Container ${name} ran out of memory`, severity: 'critical', outcome: 'failure' };
    case 'kill':
      return {
        title: `Container ${name} was killed${signal === undefined ? '' : ` (signal ${signal})`}`,
        severity: 'warning',
        outcome: 'failure',
      };
    case 'restart':
      return { title: `Container ${name} restarted`, severity: 'warning', outcome: 'neutral' };
    case 'health_status: unhealthy':
      return { title: `Container ${name} is unhealthy`, severity: 'error', outcome: 'failure' };
    case 'health_status: healthy':
      return { title: `Container ${name} is healthy again`, severity: 'info', outcome: 'success' };
    default:
      return { title: `Container ${name}: ${action}`, severity: 'info', outcome: 'none' };
  }
};

/** One Docker Engine event (`docker events --format '{{json .}}'`), as the forwarder sends it with its host. */
export const normalizeContainerEvent = (
  payload: Record<string, unknown>,
  receivedAt: string,
): DockerEvent => {
  const action = (str(payload, 'Action') ?? str(payload, 'status') ?? 'unknown').slice(0, LIMITS.action);
  const attributes = at(payload, 'Actor', 'Attributes');
  const id = str(payload, 'Actor', 'ID') ?? str(payload, 'id');
  const name = str(attributes, 'name') ?? id?.slice(0, 12) ?? 'container';
  const image = str(attributes, 'image') ?? str(payload, 'from');
  const exitCode = str(attributes, 'exitCode');
  const signal = str(attributes, 'signal');
  const host = str(payload, 'host');
  // `time` is whole seconds; timeNano exceeds 2^53 and parses to the nearest few hundred nanoseconds, which
  // still tells apart two crashes of a restarting container within one second (its backoff starts at 100 ms).
  // The same event sent twice has the same timeNano, and so the same identity.
  const time = num(payload, 'time');
  const nano = num(payload, 'timeNano') ?? str(payload, 'timeNano');
  const reading = read(action, name, exitCode, signal);
  const identity = [
    host ?? '',
    id ?? name,
    action,
    time ?? '',
    nano ?? '',
    exitCode ?? '',
    signal ?? '',
  ].join('\n');
  const compose = str(attributes, 'com.docker.compose.project');
  return envelope('docker', {
    id: `docker:engine:${sha256Hex(identity)}`,
    kind: `container.${kindSegment(action)}`,
    occurredAt: isoFromEpoch(time),
    receivedAt,
    severity: reading.severity,
    outcome: reading.outcome,
    subject: { name: host ?? compose ?? 'docker' },
    title: reading.title,
    labels: compose === undefined ? [] : [`compose_project=${compose}`],
    facts: {
      type: 'container',
      action,
      container: clip(name, LIMITS.name),
      ...(id === undefined ? {} : { containerId: id.slice(0, 12) }),
      ...(image === undefined ? {} : { image: clip(image, LIMITS.name) }),
      ...(exitCode === undefined ? {} : { exitCode: exitCode.slice(0, DOCKER_LIMITS.exitCode) }),
      ...(signal === undefined ? {} : { signal: signal.slice(0, DOCKER_LIMITS.signal) }),
      ...(action.startsWith('health_status')
        ? { health: action.replace('health_status: ', '').slice(0, LIMITS.state) }
        : {}),
      ...(host === undefined ? {} : { host: clip(host, LIMITS.name) }),
    },
  });
};
