/**
 * `npm run docker-forwarder -- [--stdin] [--url URL] [--host NAME] [--spool FILE] [--spool-max-bytes N]
 *   [--spool-max-events N] [--docker PATH]`
 * Runs next to Docker: forwards alert-worthy container events to Vigil's docker route. Without --stdin it
 * runs `docker events --format '{{json .}}' --filter type=container` itself, and again with `--since` the last
 * event it saw whenever that ends, until SIGTERM or SIGINT; then it sends or spools what is pending and exits.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createLog } from '../lib/log';
import { DockerEvents } from '../tools/forwarder/docker-events';
import { DockerForwarder, type ForwarderStats } from '../tools/forwarder/docker-forwarder';
import { DEFAULT_SPOOL_LIMITS, Spool } from '../tools/forwarder/spool';

/** How long requests still in flight get to finish once a signal asks the forwarder to stop. */
const SHUTDOWN_GRACE_MS = 1000;

const { values } = parseArgs({
  options: {
    stdin: { type: 'boolean', default: false },
    url: { type: 'string', default: process.env.VIGIL_DOCKER_URL ?? 'http://127.0.0.1:3000/webhooks/docker' },
    host: { type: 'string', default: process.env.VIGIL_HOST_NAME ?? hostname() },
    spool: {
      type: 'string',
      default: process.env.VIGIL_SPOOL ?? join(process.cwd(), '.vigil', 'docker-spool.jsonl'),
    },
    'spool-max-bytes': {
      type: 'string',
      default: process.env.VIGIL_SPOOL_MAX_BYTES ?? String(DEFAULT_SPOOL_LIMITS.maxBytes),
    },
    'spool-max-events': {
      type: 'string',
      default: process.env.VIGIL_SPOOL_MAX_EVENTS ?? String(DEFAULT_SPOOL_LIMITS.maxEvents),
    },
    docker: { type: 'string', default: process.env.VIGIL_DOCKER_CLI ?? 'docker' },
  },
});

const positiveInteger = (name: string, value: string): number => {
  const number = Number(value);
  if (/^\d+$/.test(value.trim()) && Number.isSafeInteger(number) && number > 0) return number;
  process.stderr.write(`${name} must be a whole number above 0, got "${value}"\n`);
  process.exit(2);
};

const token = process.env.DOCKER_WEBHOOK_TOKEN ?? 'vigil-development-token';
const log = createLog('vigil-docker-forwarder');
const spool = new Spool(values.spool, {
  maxBytes: positiveInteger('--spool-max-bytes (VIGIL_SPOOL_MAX_BYTES)', values['spool-max-bytes']),
  maxEvents: positiveInteger('--spool-max-events (VIGIL_SPOOL_MAX_EVENTS)', values['spool-max-events']),
});
if (spool.tornBytes > 0) {
  log.warn('the spool ended in a line cut short by a crash: dropped it', {
    spool: values.spool,
    bytes: spool.tornBytes,
  });
}
const forwarder = new DockerForwarder({ url: values.url, token, host: values.host, spool, log });

let finishing = false;
/** Sends or spools what is pending, prints what happened, and exits; with graceMs, promptly. */
const finish = async (extra: Record<string, unknown>, graceMs?: number) => {
  if (finishing) {
    if (graceMs !== undefined) await forwarder.close({ graceMs }); // a signal hurries a close under way
    return;
  }
  finishing = true;
  const stats: ForwarderStats = await forwarder.close(graceMs === undefined ? {} : { graceMs });
  const left = spool.size;
  const line = {
    done: true,
    ...stats,
    ...extra,
    leftInSpool: left,
    ...(left > 0 ? { spool: values.spool } : {}),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`, () => process.exit(0));
};

const onStopSignal = (stop: () => Promise<void>) => {
  let signals = 0;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      signals += 1;
      if (signals > 1) process.exit(1); // asked twice: stop waiting
      void stop();
    });
  }
};

if (values.stdin) {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => forwarder.push(line));
  lines.once('close', () => void finish({}));
  onStopSignal(() => finish({}, SHUTDOWN_GRACE_MS));
} else {
  const events = new DockerEvents({
    command: values.docker,
    log,
    onLine: (line) => forwarder.push(line),
    // beside the spool: a forwarder started again reads the events it missed while it was down
    cursorFile: `${values.spool}.cursor`,
  });
  void events.start();
  onStopSignal(async () => {
    await events.stop();
    await finish({ dockerEventsRuns: events.runs }, SHUTDOWN_GRACE_MS);
  });
}
