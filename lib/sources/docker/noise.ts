import { str } from '../../util/json';

/**
 * Which Docker Engine container events are worth a message: a crash (die with a non-zero exit code), an
 * OOM kill, a kill, a restart, and health turning unhealthy or healthy again. exec_*, start, stop, create
 * and a clean exit are routine; the forwarder skips them and the docker route accepts them without posting.
 */
export const isAlertWorthy = (event: unknown): boolean => {
  if (str(event, 'Type') !== undefined && str(event, 'Type') !== 'container') return false;
  const action = str(event, 'Action') ?? str(event, 'status') ?? '';
  if (action === 'die') return (str(event, 'Actor', 'Attributes', 'exitCode') ?? '0') !== '0';
  return ['oom', 'kill', 'restart', 'health_status: unhealthy', 'health_status: healthy'].includes(action);
};
