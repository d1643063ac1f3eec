/**
 * `npm run deliveries -- [--stage <stage>] [--since 1h] [--subject <glob>] [--channel <name>] [--json]`
 * The delivery log: per event and channel its state, attempts, time from receipt to delivery and Cliq message id.
 * Without --stage it reads the local stack's table (DYNAMODB_ENDPOINT, else 127.0.0.1 on DYNAMODB_PORT, default
 * 8000); with --stage the deployed table vigil-<stage>-state (credentials and region from the usual AWS settings).
 */

import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadConfig } from '../lib/config';
import { dynamoStateStore } from '../lib/state/dynamo-store';
import type { DeliveryFilter, DeliveryRecord } from '../lib/state/store';
import { LOCAL_STATE_TABLE, stateTableName } from '../lib/state/table';
import { dynamoClientFor } from '../lib/wiring/aws';
import { deliveryTable, parseSince } from '../tools/deliveries/delivery-log';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE =
  'usage: npm run deliveries -- [--stage <stage>] [--since 30m|1h|2d|<ISO time>] [--subject <glob>] [--channel <name>] [--json]\n';

const fail = (message: string, code: number): never => {
  process.stderr.write(`deliveries: ${message}\n`);
  process.exit(code);
};

const main = async () => {
  const { values } = (() => {
    try {
      return parseArgs({
        options: {
          stage: { type: 'string' },
          since: { type: 'string' },
          subject: { type: 'string' },
          channel: { type: 'string' },
          json: { type: 'boolean', default: false },
        },
      });
    } catch (error) {
      return fail(`${(error as Error).message}\n${USAGE}`, 2);
    }
  })();
  let since: Date | undefined;
  if (values.since !== undefined) {
    const parsed = parseSince(values.since, new Date());
    since = parsed.ok ? parsed.value : fail(parsed.error, 2);
  }
  const filter: DeliveryFilter = {
    ...(since === undefined ? {} : { since }),
    ...(values.subject === undefined ? {} : { subject: values.subject }),
    ...(values.channel === undefined ? {} : { channel: values.channel }),
  };
  // the local stack's client exactly: DynamoDB Local keeps one database per access key and region
  const local = loadConfig({ ...process.env, VIGIL_LOCAL: 'true' });
  const endpoint = local.dynamodbEndpoint;
  const store =
    values.stage === undefined
      ? dynamoStateStore({ client: dynamoClientFor(local), tableName: LOCAL_STATE_TABLE })
      : dynamoStateStore({ client: new DynamoDBClient({}), tableName: stateTableName(values.stage) });

  const records: DeliveryRecord[] = [];
  try {
    for await (const record of store.listDeliveries(filter)) records.push(record);
  } catch (error) {
    const refused = (error as { code?: string }).code === 'ECONNREFUSED';
    fail(
      values.stage === undefined && refused
        ? `no local stack answers at ${endpoint}: start it with npm start (or set DYNAMODB_PORT)`
        : (error as Error).message,
      1,
    );
  }
  process.stdout.write(
    `${values.json ? JSON.stringify({ count: records.length, deliveries: records }, null, 2) : deliveryTable(records)}\n`,
  );
};

main().catch((error: unknown) => fail((error as Error).message, 1));
