/**
 * `npm run route -- --source github --event push --file payload.json [--config path] [--at time] [--json]`
 * Prints which routes match, where the event would go, and the Cliq message(s) that would be posted,
 * without posting anything; `--at` (an ISO time) routes as if it were then, to see quiet hours and digests. --file may also be an events/ sample (an API Gateway event).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Source } from '../lib/event/model';
import type { WebhookRequest } from '../lib/http/request';
import { readRoutingFile, routingFilePath } from '../lib/routing/load';
import { isSource, SOURCES } from '../lib/sources/registry';
import { EVENT_HEADER, explainRequest, renderExplained } from '../tools/route/explain';

const USAGE =
  'usage: npm run route -- --file <payload.json | events/…/sample.json> [--source <name>] [--event <name>] [--config <vigil.config.yaml>] [--at <ISO time>] [--json]';

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(2);
};

const parsed = (() => {
  try {
    return parseArgs({
      options: {
        source: { type: 'string' },
        event: { type: 'string' },
        file: { type: 'string' },
        config: { type: 'string' },
        at: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`);
  }
})();
const { values } = parsed;
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const file = values.file ?? fail('--file is required: a payload, or an events/ sample');
const readPayload = (path: string): Record<string, unknown> => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : code;
    return fail(`--file ${path}: ${why ?? (error as Error).message}; give a payload, or an events/ sample`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
    return fail(`--file ${path}: not a JSON object; a payload is one, as the source sends it`);
  } catch (error) {
    return fail(`--file ${path} is not JSON: ${(error as Error).message.replace(/\s+/g, ' ')}`);
  }
};
const raw = readPayload(file);
const isSample = typeof raw.body === 'string' && typeof raw.requestContext === 'object';
const sampleSource = isSample
  ? String(raw.rawPath ?? '')
      .split('/')
      .pop()
  : undefined;
const source = (values.source ??
  sampleSource ??
  fail(`--source is required: one of ${Object.keys(SOURCES).join(', ')}`)) as Source;
if (!isSource(source)) fail(`unknown source ${source}: use one of ${Object.keys(SOURCES).join(', ')}`);

const headers: Record<string, string> = {};
if (isSample) {
  for (const [key, value] of Object.entries((raw.headers ?? {}) as Record<string, string>))
    headers[key.toLowerCase()] = value;
}
const eventHeader = EVENT_HEADER[source];
if (values.event !== undefined && eventHeader !== undefined) headers[eventHeader] = values.event;
if (eventHeader !== undefined && headers[eventHeader] === undefined && source !== 'sentry')
  fail(`--event is required for ${source} (the ${eventHeader} header)`);

const body = isSample
  ? Buffer.from(String(raw.body), raw.isBase64Encoded ? 'base64' : 'utf8')
  : Buffer.from(JSON.stringify(raw));
const request: WebhookRequest = { method: 'POST', path: `/webhooks/${source}`, headers, query: {}, body };
const configPath = routingFilePath(
  values.config === undefined ? process.env : { ...process.env, VIGIL_CONFIG: values.config },
);
const at = values.at === undefined ? new Date() : new Date(values.at);
if (Number.isNaN(at.getTime()))
  fail(`--at ${values.at} is not a time: use ISO 8601, such as 2026-12-07T23:30:00Z`);
const result = explainRequest(readRoutingFile(configPath), source, request, at);
if (!result.ok) fail(`Vigil would refuse this request: ${result.error}`);
if (result.ok) {
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ config: configPath, ...result }, null, 2)}\n`);
  } else {
    process.stdout.write(`routing file: ${configPath}\n\n`);
    process.stdout.write(
      `${result.explained.length === 0 ? `nothing to post: ${result.note ?? ''}` : renderExplained(result.explained)}\n`,
    );
  }
}
