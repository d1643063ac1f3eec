import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { fromApiGateway, signedBytes } from '../../lib/http/request';
import { parsePayload } from '../../lib/sources/shared/payload';
import { githubEvent, octokitExample } from '../../tools/harness/github';
import { ingestFor } from '../helpers/ingest';

const push = JSON.stringify(octokitExample('push'));

describe('a webhook body API Gateway delivers as text', () => {
  /**
   * RFC 8259 §8.1: parsers MAY ignore a leading byte order mark. Vigil's strict UTF-8 decode of the bytes
   * (TextDecoder, ignoreBOM false) does, and the local stack (which always sends base64) accepts it; the same
   * body delivered by API Gateway as text must be accepted too.
   */
  it('accepts a BOM-led JSON body whether it arrives as text or as base64', async () => {
    const { call } = ingestFor('github');
    const body = Buffer.from(`\uFEFF${push}`);
    const asBase64 = await call(githubEvent(body, { base64: true, delivery: 'bom-b64' }));
    const asText = await call(githubEvent(body, { delivery: 'bom-text' }));
    expect(asBase64.status).toBe(202);
    expect(asText.status).toBe(asBase64.status);
  });

  it('finishes its __proto__ walk when something has added an enumerable object to Object.prototype', () => {
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.polluted = { again: true };
    try {
      expect(parsePayload('{"a":{"b":[{"c":1}]}}', 'a payload').ok).toBe(true);
    } finally {
      delete prototype.polluted;
    }
  });

  it('refuses a __proto__ key however deep it is nested', () => {
    const body = `${'{"a":'.repeat(70)}{"__proto__":{"polluted":1}}${'}'.repeat(70)}`;
    expect(parsePayload(body, 'a payload').ok).toBe(false);
  });
});

describe('what a signature is checked over', () => {
  const event = (body: string, isBase64Encoded = false) =>
    ({ body, isBase64Encoded, headers: {}, requestContext: { http: { method: 'POST' } } }) as never;
  const hmacOf = (data: string | Buffer) => createHmac('sha256', 'k').update(data).digest('hex');

  /** A body that arrived as text is verified over the text, without copying it: same digest as the bytes. */
  it('gives the HMAC of the exact bytes for any text body, lone surrogates and BOMs included', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), (text) => {
        const request = fromApiGateway(event(text));
        expect(hmacOf(signedBytes(request))).toBe(hmacOf(Buffer.from(text, 'utf8')));
        expect(hmacOf(signedBytes(request))).toBe(hmacOf(request.body));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the decoded bytes of a base64 body', () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x7b, 0x7d, 0xc3]);
    const request = fromApiGateway(event(bytes.toString('base64'), true));
    expect(Buffer.isBuffer(signedBytes(request))).toBe(true);
    expect(hmacOf(signedBytes(request))).toBe(hmacOf(bytes));
  });
});
