/**
 * How SQS measures a message, and how much Vigil lets one take.
 * SQS: "the limit of how many bytes a message can contain" (MaximumMessageSize, set to this on both queues in
 * serverless.yml and in the local stack) counts the UTF-8 bytes of the body and of every message attribute's
 * name, data type and value. A schema that bounds strings in characters does not bound bytes: a character of
 * CJK text is 3 bytes, and `JSON.stringify` spells a control character in 6.
 */
export const MAX_MESSAGE_BYTES = 262_144;

/** SendMessageBatch: the sum of the entries' sizes (kept at the classic 256 KiB, within today's 1 MiB). */
export const MAX_BATCH_BYTES = 262_144;

/**
 * Room left for the reason attributes the sender adds when it dead-letters a message (up to eight of at most
 * 256 characters), so the DLQ, with the same MaximumMessageSize, always takes the copy.
 */
const DEAD_LETTER_ROOM = 16_384;

/** The most a queued message may take. */
export const QUEUED_MESSAGE_BYTES = MAX_MESSAGE_BYTES - DEAD_LETTER_ROOM;

/** A message's size as SQS counts it, for string attributes. */
export const messageBytes = (body: string, attributes: Readonly<Record<string, string>> = {}): number => {
  let bytes = Buffer.byteLength(body);
  for (const name in attributes)
    bytes += Buffer.byteLength(name) + 'String'.length + Buffer.byteLength(attributes[name] as string);
  return bytes;
};
