import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Source } from '../../../lib/event/model';
import type { WebhookRequest } from '../../../lib/http/request';
import { json } from '../../../lib/http/response';
import type { WaitingOwner } from '../../../lib/outbox/waiting';
import { describeProblem, parseRoutingConfig } from '../../../lib/routing/parse';
import type { RoutingConfig } from '../../../lib/routing/schema';
import { isSource, SOURCES } from '../../../lib/sources/registry';
import { parseJsonObject } from '../../../lib/util/parse-json';
import type { Queues } from '../../dlq/dead-letters';
import { EVENT_HEADER, explainRequest } from '../../route/explain';
import type { Route, RouteHandler } from '../http-server';
import type { Activity } from './activity';
import { bundleBrowserCode } from './bundle';
import { CONSOLE_CSS } from './console-styles';
import { deadLetterRoutes } from './dead-letter-routes';
import { guarded } from './guard';
import { bad, bodyOf } from './input';
import { type HealthReport, prometheusText } from './metrics';
import { consolePage } from './page';
import { findSample, listSamples, sampleRequest } from './samples';
import { streamActivity } from './stream';

export interface ConsoleOptions {
  readonly activity: Activity;
  readonly queues: Queues;
  readonly routing: RoutingConfig;
  /** The routing file in use; the playground starts from its text. */
  readonly routingFile: string;
  readonly mode: string;
  /** Each routed channel: `preview` or `delivering`. */
  readonly channels?: Readonly<Record<string, string>>;
  /** The stack's `/health`; `/metrics` shows its numbers. */
  readonly health: () => Promise<APIGatewayProxyStructuredResultV2>;
  /** What waits in each owner's outbox, by channel, and why. */
  readonly waiting: () => Promise<readonly WaitingOwner[]>;
}

/** Nothing the page loads may come from elsewhere, and no other site may frame it. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#2f6fde"/><path d="M4 5l4 7 4-7" stroke="#fff" stroke-width="2" fill="none"/></svg>';

const asset = (type: string, body: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode: 200,
  headers: { ...SECURITY_HEADERS, 'content-type': type },
  body,
});

const playgroundRequest = (
  input: Record<string, unknown>,
): { ok: true; source: Source; request: WebhookRequest } | { ok: false; error: string } => {
  if (typeof input.sample === 'string' && input.sample !== '') {
    const sample = findSample(input.sample);
    if (sample === undefined) return { ok: false, error: `no sample ${input.sample} in events/` };
    return { ok: true, source: sample.source, request: sampleRequest(sample) };
  }
  const source = input.source;
  if (typeof source !== 'string' || !isSource(source))
    return { ok: false, error: `choose a source: one of ${Object.keys(SOURCES).join(', ')}` };
  if (typeof input.payload !== 'string' || input.payload.trim() === '')
    return { ok: false, error: 'paste a payload, or choose a sample' };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const eventHeader = EVENT_HEADER[source];
  if (eventHeader !== undefined && typeof input.event === 'string' && input.event.trim() !== '')
    headers[eventHeader] = input.event.trim();
  return {
    ok: true,
    source,
    request: {
      method: 'POST',
      path: `/webhooks/${source}`,
      headers,
      query: {},
      body: Buffer.from(input.payload),
    },
  };
};

/**
 * The console's routes on the local stack: the page and its assets, the live feed (JSON and Server-Sent
 * Events), what waits in the outbox, the route playground, the dead letters and `/metrics`.
 */
export const consoleRoutes = (options: ConsoleOptions): Route[] => {
  let script: Promise<string> | undefined;
  const report = async (): Promise<HealthReport> =>
    JSON.parse((await options.health()).body ?? '{}') as HealthReport;

  const explain: RouteHandler = async (event) => {
    const input = bodyOf(event);
    if (input === undefined) return bad('send a JSON object');
    const request = playgroundRequest(input);
    if (!request.ok) return bad(request.error);
    let routing = options.routing;
    if (typeof input.routing === 'string' && input.routing.trim() !== '') {
      const parsed = parseRoutingConfig(input.routing, 'routing file');
      if (!parsed.ok) return bad(`invalid routing file:\n${parsed.error.map(describeProblem).join('\n')}`);
      routing = parsed.value;
    }
    const at = typeof input.at === 'string' && input.at !== '' ? new Date(input.at) : new Date();
    if (Number.isNaN(at.getTime())) return bad('`at` must be an ISO time, such as 2026-12-07T23:30:00Z');
    const result = explainRequest(routing, request.source, request.request, at);
    if (!result.ok)
      return json(200, { ok: false, error: `Vigil would refuse this request: ${result.error}` });
    return json(200, {
      ok: true,
      source: request.source,
      ...(result.note === undefined ? {} : { note: result.note }),
      explained: result.explained.map(({ event, decision, messages }) => ({
        event: { id: event.id, kind: event.kind, subject: event.subject.name, title: event.title },
        decision,
        messages,
      })),
    });
  };

  return [
    {
      path: '/',
      method: 'ANY',
      handler: guarded(false, async () =>
        asset('text/html; charset=utf-8', consolePage(options.mode, options.channels)),
      ),
    },
    {
      path: '/favicon.svg',
      method: 'ANY',
      handler: guarded(false, async () => asset('image/svg+xml', FAVICON)),
    },
    {
      path: '/console.css',
      method: 'ANY',
      handler: guarded(false, async () => asset('text/css; charset=utf-8', CONSOLE_CSS)),
    },
    {
      path: '/console.js',
      method: 'ANY',
      handler: guarded(false, async () => {
        script ??= bundleBrowserCode();
        return asset('text/javascript; charset=utf-8', await script);
      }),
    },
    {
      path: '/metrics',
      method: 'GET',
      handler: guarded(false, async () => ({
        statusCode: 200,
        headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
        body: prometheusText(await report()),
      })),
    },
    {
      path: '/api/feed',
      method: 'ANY',
      handler: guarded(false, async () =>
        json(200, {
          mode: options.mode,
          channels: options.channels ?? {},
          entries: options.activity.entries(),
        }),
      ),
    },
    { path: '/api/stream', method: 'GET', stream: streamActivity(options.activity) },
    {
      path: '/api/outbox',
      method: 'ANY',
      handler: guarded(false, async () => json(200, { owners: await options.waiting() })),
    },
    {
      path: '/api/samples',
      method: 'ANY',
      handler: guarded(false, async () =>
        json(200, {
          samples: listSamples(),
          sources: Object.keys(SOURCES).map((name) => ({
            name,
            ...(EVENT_HEADER[name as Source] === undefined
              ? {}
              : { eventHeader: EVENT_HEADER[name as Source] }),
          })),
        }),
      ),
    },
    {
      path: '/api/sample',
      method: 'ANY',
      handler: guarded(false, async (event) => {
        const sample = findSample(event.queryStringParameters?.name ?? '');
        if (sample === undefined)
          return json(404, { error: 'not_found', message: 'no such sample in events/' });
        const request = sampleRequest(sample);
        const header = EVENT_HEADER[sample.source];
        const text = request.body.toString('utf8');
        const parsed = parseJsonObject(text);
        // the payload and its event name only: the sample's signature and token stay here
        return json(200, {
          source: sample.source,
          ...(header === undefined || request.headers[header] === undefined
            ? {}
            : { event: request.headers[header] }),
          payload: parsed.ok ? JSON.stringify(parsed.value, null, 2) : text,
        });
      }),
    },
    {
      path: '/api/routing',
      method: 'ANY',
      handler: guarded(false, async () =>
        json(200, {
          file: relative(process.cwd(), options.routingFile) || options.routingFile,
          text: readFileSync(options.routingFile, 'utf8'),
        }),
      ),
    },
    { path: '/api/explain', method: 'ANY', handler: guarded(true, explain) },
    ...deadLetterRoutes(options.queues, options.activity),
  ];
};
