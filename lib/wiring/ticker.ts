import { loadConfig, requireKey } from '../config';
import { createLog } from '../log';
import type { TickerDeps } from '../outbox/ticker';
import { tickSender } from '../queue/tick';
import { dynamoOutboxStore } from '../state/outbox-store';
import { dynamoClientFor, type Env, sqsClientFor } from './aws';

/** The scheduled tick's dependencies: the outbox index in the state table, and the events queue. */
export const tickerDeps = (env: Env = process.env): TickerDeps => {
  const config = loadConfig(env);
  const queueUrl = requireKey(config.queueUrl, 'QUEUE_URL');
  return {
    store: dynamoOutboxStore({
      client: dynamoClientFor(config),
      tableName: requireKey(config.stateTable, 'STATE_TABLE'),
    }),
    tick: tickSender(sqsClientFor(config, queueUrl), queueUrl, true),
    log: createLog('vigil-tick', env),
  };
};
