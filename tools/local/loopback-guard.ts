/** What a listener of the local stack knows about a request when it decides whether to answer it. */
export interface LoopbackRequest {
  readonly method: string;
  readonly host: string | undefined;
  readonly origin: string | undefined;
  readonly secFetchSite: string | undefined;
  /** The port the listener itself answers on. */
  readonly port: number;
}

export type LoopbackVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: 403; readonly reason: string };

/** The host name without its port, lower-cased; `[::1]` keeps its brackets. */
export const hostName = (host: string): string => {
  const name = host.trim().toLowerCase();
  return name.startsWith('[') ? name.slice(0, name.indexOf(']') + 1) : name.replace(/:\d*$/, '');
};

const IPV4_LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** localhost, 127.0.0.0/8 or [::1]: a name that cannot point at another machine or be rebound by a page. */
export const isLoopbackName = (name: string): boolean => {
  if (name === 'localhost' || name === '[::1]') return true;
  const octets = IPV4_LOOPBACK.exec(name);
  return octets?.slice(1).every((octet) => Number(octet) <= 255) === true;
};

/** The Origin names this listener itself: a loopback name on the listener's own port. */
const isOwnOrigin = (origin: string, port: number): boolean => {
  if (!URL.canParse(origin)) return false;
  const url = new URL(origin);
  const originPort = url.port === '' ? 80 : Number(url.port);
  return url.protocol === 'http:' && isLoopbackName(url.hostname) && originPort === port;
};

const refused = (reason: string): LoopbackVerdict => ({
  ok: false,
  status: 403,
  reason: `refused: ${reason}`,
});

/**
 * Whether a listener of the local stack answers a request. Only loopback host names reach it (a page that
 * rebinds its own name to 127.0.0.1 is refused by its Host), and a browser request from another origin is
 * refused by its Origin or Sec-Fetch-Site, as are all CORS preflights. Webhook senders, the AWS SDK, curl and
 * Vigil's own tools send neither header, so they are never refused.
 */
export const checkLoopbackRequest = (request: LoopbackRequest): LoopbackVerdict => {
  const { host, origin, secFetchSite, port } = request;
  if (host === undefined || !isLoopbackName(hostName(host)))
    return refused(
      `the local stack answers loopback host names only (localhost, 127.0.0.1, [::1]), not Host ${host ?? '(none)'}`,
    );
  if (request.method.toUpperCase() === 'OPTIONS')
    return refused('the local stack answers no CORS preflight (OPTIONS): web pages cannot reach it');
  if (origin !== undefined && !isOwnOrigin(origin, port))
    return refused(`requests from web pages (Origin ${origin}) cannot reach the local stack`);
  if (secFetchSite !== undefined && secFetchSite !== 'same-origin' && secFetchSite !== 'none')
    return refused(`requests from web pages (Sec-Fetch-Site ${secFetchSite}) cannot reach the local stack`);
  return { ok: true };
};
