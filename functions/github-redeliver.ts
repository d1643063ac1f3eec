import { type RedeliverReport, runRedelivery } from '../lib/sources/github/redeliver/run';
import { redeliverDeps } from '../lib/wiring/redeliver';

/** Every 5 minutes (serverless.yml): asks GitHub to redeliver what the routing file's hooks failed to deliver. */
const deps = redeliverDeps();
export const handler = async (): Promise<RedeliverReport> => runRedelivery(deps);
