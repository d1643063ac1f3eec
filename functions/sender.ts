import { createEngineHandler } from '../lib/sender/engine';
import { engineDeps, senderDeps } from '../lib/wiring/sender';

/** SQS FIFO → outbox → Cliq: validate → format → deliver, reporting partial batch failures. */
export const handler = createEngineHandler(senderDeps(), engineDeps());
