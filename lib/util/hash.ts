import { createHash, hash } from 'node:crypto';

/**
 * SHA-256 of the bytes, or of a string's UTF-8 encoding, as lower-case hex. One-shot `crypto.hash` where Node
 * has it (20.12+): the same digest without a Hash object per call.
 */
export const sha256Hex: (data: Uint8Array | string) => string =
  typeof hash === 'function'
    ? (data) => hash('sha256', data, 'hex')
    : (data) => createHash('sha256').update(data).digest('hex');
