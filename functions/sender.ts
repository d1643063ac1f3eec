import { createSenderHandler } from '../lib/sender/handler';
import { senderDeps } from '../lib/wiring/sender';

/** SQS FIFO → Cliq: validate → format → deliver, reporting partial batch failures. */
export const handler = createSenderHandler(senderDeps());
