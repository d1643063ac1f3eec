import { runTicks } from '../lib/outbox/ticker';
import { tickerDeps } from '../lib/wiring/ticker';

/** Every minute (serverless.yml): a tick for each Cliq owner with something due in its outbox. */
const deps = tickerDeps();
export const handler = async (): Promise<{ ticked: number }> => ({ ticked: (await runTicks(deps)).length });
