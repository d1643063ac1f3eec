import { parseJsonObject } from '../util/parse-json';
import { CLIQ_LIMITS } from './message';

const CONTROL = /\p{Cc}/u;

/**
 * The message id in Cliq's answer to a `sync_message` post, `{"message_id": "1599044334698_117280617320"}`
 * (specs/zoho-cliq.md, Responses and Threads). Kept as an opaque string; a number keeps every digit it was
 * sent with. Undefined when the answer has none, or one too long or odd to be an id.
 */
export const messageIdOf = (text: string): string | undefined => {
  const body = parseJsonObject(text);
  if (!body.ok) return undefined;
  const raw = body.value.message_id;
  const id =
    typeof raw === 'string'
      ? raw.trim()
      : typeof raw === 'number' && Number.isFinite(raw)
        ? (/"message_id"\s*:\s*(-?\d+)\s*[,}]/.exec(text)?.[1] ?? String(raw))
        : undefined;
  if (id === undefined || id === '' || id.length > CLIQ_LIMITS.messageId || CONTROL.test(id))
    return undefined;
  return id;
};
