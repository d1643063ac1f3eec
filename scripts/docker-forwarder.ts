/**
 * `npm run docker-forwarder -- [--stdin] [--url URL] [--host NAME] [--spool FILE]`
 * Runs next to Docker: forwards alert-worthy container events to Vigil's docker route. Without --stdin it
 * runs `docker events --format '{{json .}}' --filter type=container` itself.
 */
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { DockerForwarder } from '../lib/forwarder/docker-forwarder';
import { Spool } from '../lib/forwarder/spool';
import { createLog } from '../lib/log';

const { values } = parseArgs({
  options: {
    stdin: { type: 'boolean', default: false },
    url: { type: 'string', default: process.env.VIGIL_DOCKER_URL ?? 'http://127.0.0.1:3000/webhooks/docker' },
    host: { type: 'string', default: process.env.VIGIL_HOST_NAME ?? hostname() },
    spool: {
      type: 'string',
      default: process.env.VIGIL_SPOOL ?? join(process.cwd(), '.vigil', 'docker-spool.jsonl'),
    },
  },
});

const token = process.env.DOCKER_WEBHOOK_TOKEN ?? 'vigil-development-token';
const log = createLog('vigil-docker-forwarder');
const spool = new Spool(values.spool);
const forwarder = new DockerForwarder({ url: values.url, token, host: values.host, spool, log });

const input = values.stdin
  ? process.stdin
  : spawn('docker', ['events', '--format', '{{json .}}', '--filter', 'type=container'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    }).stdout;

const lines = createInterface({ input });
lines.on('line', (line) => forwarder.push(line));
lines.on('close', async () => {
  const stats = await forwarder.close();
  const left = spool.size;
  process.stdout.write(
    `${JSON.stringify({ done: true, ...stats, leftInSpool: left, ...(left > 0 ? { spool: values.spool } : {}) })}\n`,
  );
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => lines.close());
