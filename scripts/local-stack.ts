import { relative } from 'node:path';
import { channelKey } from '../lib/channels';
import { routingFilePath } from '../lib/routing/load';
import { GITHUB_DEVELOPMENT_SECRET, GITHUB_SECRET_KEY } from '../lib/sources/github/adapter';
import { sourceList } from '../lib/sources/registry';
import { STATE_TABLE } from '../lib/state/table';
import type { LocalState } from '../tools/local/dynamo-server';
import { shownEndpoint } from '../tools/local/external-state';
import { type LocalStack, startLocalStack } from '../tools/local/stack';

// Lambda runs Node 22; locally Node 20 is supported, so the SDK's upgrade notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Which DynamoDB holds the state table: the embedded one and where it keeps it, or DYNAMODB_ENDPOINT's. */
const dynamodbLine = (state: LocalState) =>
  state.kind === 'embedded'
    ? `${state.endpoint}  table ${state.tableName}, kept in ${state.dir ?? 'memory'} (VIGIL_STATE_DIR)`
    : `${shownEndpoint(state.endpoint)} (DYNAMODB_ENDPOINT, not embedded)  table ${state.tableName}, ${
        state.table.created ? 'created now' : 'found'
      }; ${state.table.ttl === 'enabled' ? `TTL on ${STATE_TABLE.ttlAttribute}` : 'no TTL (the server lacks UpdateTimeToLive)'}`;

/** One line per routed channel: whether it previews or delivers, and where (host and channel, never the key). */
const channelLines = (stack: Pick<LocalStack, 'channels' | 'targets'>) =>
  Object.entries(stack.channels).map(
    ([channel, mode]) =>
      `  ${''.padEnd(13)} ${channel.padEnd(12)} ${
        mode === 'preview'
          ? `preview (${channelKey(channel)} unset)`
          : `delivering to ${stack.targets[channel] ?? 'Cliq'} (${channelKey(channel)})`
      }`,
  );

/** `npm start`: the whole pipeline on loopback, with nothing else installed and no AWS account. */
const main = async () => {
  const stack = await startLocalStack({ printPreviews: true });
  const lines = [
    '',
    `Vigil local stack on ${stack.url}`,
    `  ${'console'.padEnd(13)} ${'GET'.padEnd(8)} ${stack.url}/  (live events, route playground, dead letters; /metrics)`,
    `  ${'health'.padEnd(13)} ${'GET'.padEnd(8)} ${stack.url}/health`,
    ...sourceList().map(
      (source) =>
        `  ${source.name.padEnd(13)} ${source.methods.join('/').padEnd(8)} ${stack.url}${source.route}`,
    ),
    `  ${'SQS'.padEnd(13)} ${stack.queues.endpoint}  queue ${stack.queues.queueUrl}`,
    `  ${'DynamoDB'.padEnd(13)} ${dynamodbLine(stack.state)}`,
    `  ${'routing'.padEnd(13)} ${relative(process.cwd(), routingFilePath(process.env)) || routingFilePath(process.env)}`,
    `  ${'mode'.padEnd(13)} ${stack.mode}${stack.mode === 'delivering' ? '' : ': previewed channels post to a built-in Cliq stand-in, printed here and listed at GET /previews'}`,
    ...channelLines(stack),
    `  ${'secrets'.padEnd(13)} unset ones use development values: "${GITHUB_DEVELOPMENT_SECRET}" to sign (GitHub, Sentry), "vigil-development-token" as a token`,
    process.env[GITHUB_SECRET_KEY] ? `  ${''.padEnd(13)} ${GITHUB_SECRET_KEY} is set` : '',
    '',
  ];
  process.stdout.write(
    `${lines.filter((line, index) => line !== '' || index === 0 || index === lines.length - 1).join('\n')}\n`,
  );
  const shutdown = async () => {
    await stack.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
};

main().catch((error: unknown) => {
  process.stderr.write(`Vigil could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
