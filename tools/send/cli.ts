import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SOURCE_NAMES, SOURCES } from '../../lib/sources/registry';
import { readSendInput } from './input';
import { postRequest, requestUrl, routeSourceOf, shownUrl, targetOf } from './post';
import { type SendOptions, sourceRequest } from './request';

export const USAGE = `usage: npm run send -- <events/…/sample.json | payload.json> [--source <name>] [--event <name>]
                     [--to <url>] [--secret <secret>] [--delivery <id>]

Posts a webhook to the running local stack (npm start), signed or carrying its token as the source would,
and prints the status and Vigil's answer.

  <file>            an events/ sample (the API Gateway event serverless invoke local takes: its body is sent,
                    its source and event come from its route and headers) or a plain payload file
  --source <name>   needed for a plain payload unless --to names its route: one of
                    ${SOURCE_NAMES.join(', ')}
  --event <name>    the source's event header (X-GitHub-Event push, X-Gitlab-Event "Pipeline Hook",
                    Sentry-Hook-Resource issue): needed for a GitHub payload; read from object_kind for GitLab
  --to <url>        another base URL or route (default http://127.0.0.1:$PORT, PORT default 3000)
  --secret <value>  sign or authenticate with this instead of the local stack's development secret
                    (vigil-development-secret to sign, vigil-development-token as a token)
  --delivery <id>   the delivery id header (X-GitHub-Delivery, X-Gitlab-Event-UUID, Request-ID, X-Request-ID)

Each send carries a fresh delivery id, never the sample's, as a new delivery would; --delivery sends that id,
to see a redelivery deduplicated (GitLab, Sentry's legacy plugin). GitHub and signed Sentry deliveries are
deduplicated on their signed body, so the same sample sent twice posts to Cliq once whatever its id: the
second answer is still 202 (ingest accepts it; the sender's ledger drops it).

Exit status: 0 when Vigil answers 2xx, 1 when it refuses, 2 for a bad file or option, 3 when nothing answers.`;

export interface SendIo {
  readonly out: (line: string) => void;
  readonly error: (line: string) => void;
  readonly fetch?: typeof fetch;
  readonly readFile?: (path: string) => Buffer;
  readonly freshId?: () => string;
}

const readable = (read: (path: string) => Buffer, file: string): Buffer | string => {
  try {
    return read(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      return `${file} does not exist: give a payload file or a sample such as events/github/push.json`;
    if (code === 'EISDIR')
      return `${file} is a folder: give one file in it, such as ${file.replace(/\/$/, '')}/…json`;
    return `${file} cannot be read: ${code ?? (error as Error).message}`;
  }
};

const parseSendArgs = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      source: { type: 'string' },
      event: { type: 'string' },
      to: { type: 'string' },
      secret: { type: 'string' },
      delivery: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });

/** `npm run send`: reads, signs and posts one webhook; resolves to the process's exit status. */
export const runSend = async (
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: SendIo,
): Promise<number> => {
  const usageError = (message: string) => {
    io.error(`send: ${message}`);
    return 2;
  };
  let parsed: ReturnType<typeof parseSendArgs>;
  try {
    parsed = parseSendArgs(argv);
  } catch (error) {
    return usageError(`${(error as Error).message} (npm run send -- --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined) return usageError('which file? npm run send -- events/github/push.json (--help)');
  if (extra.length > 0) return usageError(`one file at a time: ${extra.join(' ')} is extra`);
  if (values.secret === '') return usageError('--secret is empty');
  if (values.delivery === '') return usageError('--delivery is empty');

  const target = targetOf(values.to, env);
  if (!target.ok) return usageError(target.error);
  const bytes = readable(io.readFile ?? readFileSync, file);
  if (typeof bytes === 'string') return usageError(bytes);
  const input = readSendInput(file, bytes);
  if (!input.ok) return usageError(input.error);
  const routeSource = routeSourceOf(target.value.url);
  const options: SendOptions = {
    ...(values.source === undefined ? {} : { source: values.source }),
    ...(routeSource === undefined ? {} : { routeSource }),
    ...(values.event === undefined ? {} : { event: values.event }),
    ...(values.secret === undefined ? {} : { secret: values.secret }),
    ...(values.delivery === undefined ? {} : { delivery: values.delivery }),
  };
  const request = sourceRequest(input.value, options, io.freshId ?? randomUUID);
  if (!request.ok) return usageError(request.error);

  const { source, event, delivery } = request.value;
  io.out(
    `${request.value.method} ${shownUrl(requestUrl(target.value, request.value))}  ${[source, event].filter(Boolean).join(' ')}  ${delivery.header}: ${delivery.id}`,
  );
  const answer = await postRequest(target.value, request.value, io.fetch);
  if (!answer.ok) {
    io.error(`send: ${answer.error}`);
    return 3;
  }
  const { status, statusText, body } = answer.value;
  io.out(`${status} ${statusText}`.trim());
  if (body.trim() !== '') io.out(body.trim());
  if (status === 401 && values.secret === undefined) {
    const keys = Object.keys(SOURCES[source].developmentSecrets).join(' or ');
    io.error(
      `send: signed with the development secret; if the stack has ${keys} set, pass that value with --secret`,
    );
  }
  return status >= 200 && status < 300 ? 0 : 1;
};
