import type { Source } from '../../lib/event/model';
import { err, ok, type Result } from '../../lib/result';
import { isSource, SOURCE_NAMES, SOURCES } from '../../lib/sources/registry';
import { eventNameOf } from './event-name';
import type { SendInput } from './input';

export interface SendOptions {
  /** `--source`: otherwise the sample's route, else the `--to` URL's `/webhooks/<name>`. */
  readonly source?: string;
  /** The source named by the `--to` URL's path, if it names one. */
  readonly routeSource?: string;
  /** `--event`: the source's event header (X-GitHub-Event, X-Gitlab-Event, Sentry-Hook-Resource). */
  readonly event?: string;
  /** `--secret`: signs or authenticates with it instead of the local stack's development secret. */
  readonly secret?: string;
  /** `--delivery`: the delivery id header's value instead of a fresh one. */
  readonly delivery?: string;
}

/** A request ready to post to a source's route, signed or carrying its token. */
export interface SourceRequest {
  readonly source: Source;
  readonly method: string;
  readonly route: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** The event header's value, when one is sent. */
  readonly event?: string;
  readonly delivery: { readonly header: string; readonly id: string };
}

/** Headers a sample may carry that this send replaces or that the HTTP client sets itself. */
const REPLACED = ['authorization', 'content-length', 'host', 'connection', 'transfer-encoding'];

const without = (record: Readonly<Record<string, string>>, keys: readonly string[]): Record<string, string> =>
  Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));

const sourceOf = (input: SendInput, options: SendOptions): Result<Source, string> => {
  const name =
    options.source ?? (input.kind === 'sample' ? input.routeName : undefined) ?? options.routeSource;
  if (name === undefined) {
    return err(`--source is required for a plain payload: one of ${SOURCE_NAMES.join(', ')}`);
  }
  return isSource(name) ? ok(name) : err(`unknown source ${name}: use one of ${SOURCE_NAMES.join(', ')}`);
};

/**
 * The request the source would send with this body: the sample's headers (or a plain payload's media type),
 * its event header, a delivery id, and the source's own proof of origin made with `options.secret` or its
 * development secret (`lib/sources/<name>/samples.ts`), replacing whatever proof the sample carried.
 */
export const sourceRequest = (
  input: SendInput,
  options: SendOptions,
  freshId: () => string,
): Result<SourceRequest, string> => {
  const named = sourceOf(input, options);
  if (!named.ok) return named;
  const source = SOURCES[named.value];
  const { samples, eventHeader, deliveryHeader } = source;

  const headers: Record<string, string> =
    input.kind === 'sample'
      ? { 'content-type': 'application/json', ...input.headers }
      : { 'content-type': 'application/json', 'user-agent': 'vigil-send' };
  let event = eventHeader === undefined ? undefined : headers[eventHeader];
  if (options.event !== undefined) {
    if (eventHeader === undefined) return err(`${source.name} sends no event header: drop --event`);
    event = options.event;
  } else if (event === undefined && eventHeader !== undefined && input.kind === 'payload') {
    const inferred = eventNameOf(source.name, input.payload);
    if (inferred.kind === 'required') {
      return err(
        `--event is required for a ${source.name} payload: the ${eventHeader} header, such as ${
          samples.defaultHeaders[eventHeader] ?? 'its event name'
        }`,
      );
    }
    if (inferred.kind === 'named') event = inferred.name;
  }
  if (eventHeader !== undefined && event !== undefined) headers[eventHeader] = event;

  // a sample authenticated with a URL token (legacy Sentry plugin, Docker Hub) is sent the same way
  const tokenKeys = Object.keys(samples.queryCredentials?.().query ?? {});
  const byQuery =
    samples.queryCredentials !== undefined &&
    input.kind === 'sample' &&
    tokenKeys.some((key) => input.query[key] !== undefined);
  const credentials = byQuery
    ? (samples.queryCredentials?.(options.secret) ?? { headers: {}, query: {} })
    : samples.credentials(input.body, options.secret);
  const proofHeaders = [
    ...Object.keys(samples.credentials(input.body).headers),
    ...Object.keys(samples.queryCredentials?.().headers ?? {}),
  ];
  const delivery = { header: deliveryHeader, id: options.delivery ?? freshId() };
  const method =
    input.kind === 'sample' && input.method !== undefined && source.methods.includes(input.method)
      ? input.method
      : (source.methods[0] ?? 'POST');
  return ok({
    source: source.name,
    method,
    route: source.route,
    headers: {
      ...without(headers, [...REPLACED, ...proofHeaders, deliveryHeader]),
      [deliveryHeader]: delivery.id,
      ...credentials.headers,
    },
    query: { ...without(input.kind === 'sample' ? input.query : {}, tokenKeys), ...credentials.query },
    body: input.body,
    ...(event === undefined ? {} : { event }),
    delivery,
  });
};
