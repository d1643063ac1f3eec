import type { DeliveryResult } from '../../lib/cliq/deliver';
import type { CliqMessage } from '../../lib/cliq/message';
import type { SenderDeps } from '../../lib/sender/deps';
import { createSenderHandler } from '../../lib/sender/handler';
import { formatEvent } from '../../lib/sources/events';
import { channelUrl } from './fake-cliq';
import { recordingLog } from './log';

/** The sender's deps over a fake Cliq (fake-cliq.ts) whose default channel is `ops`: override the rest. */
export const cliqSenderDeps = (cliq: {
  deliver: (url: string, message: CliqMessage) => Promise<DeliveryResult>;
}): SenderDeps => ({
  secrets: async () => ({ ZOHO_CLIQ_WEBHOOK_URL: channelUrl('ops') }),
  previewWhenUnset: false,
  format: formatEvent,
  deliver: cliq.deliver,
  preview: () => undefined,
  deadLetter: async () => undefined,
  log: recordingLog().log,
});

/** The real sender over a Cliq that accepts every post (204), keeping what was posted, in order. */
export const postingSender = (overrides: Partial<SenderDeps> = {}) => {
  const posted: CliqMessage[] = [];
  const handler = createSenderHandler({
    secrets: async () => ({
      ZOHO_CLIQ_WEBHOOK_URL: 'https://cliq.zoho.com/api/v2/channelsbyname/ops/message?zapikey=1001.T',
    }),
    previewWhenUnset: false,
    format: formatEvent,
    deliver: async (_url, message) => {
      posted.push(message);
      return { ok: true, status: 204 };
    },
    preview: () => undefined,
    deadLetter: async () => undefined,
    log: recordingLog().log,
    ...overrides,
  });
  return { handler, posted };
};
