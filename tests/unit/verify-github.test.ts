import fc from 'fast-check';
import { signGithub, verifyGithub } from '../../lib/sources/github/verify';

describe('verifyGithub', () => {
  it("matches GitHub's published HMAC vector", () => {
    const signature = signGithub('Hello, World!', "It's a Secret to Everybody");
    expect(signature).toBe('sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
    expect(verifyGithub(Buffer.from('Hello, World!'), signature, ["It's a Secret to Everybody"]).ok).toBe(
      true,
    );
  });

  it('accepts an upper-case hex signature', () => {
    const signature = signGithub('body', 's')
      .replace(/[a-f]/g, (c) => c.toUpperCase())
      .replace('SHA256', 'sha256');
    expect(verifyGithub(Buffer.from('body'), signature, ['s']).ok).toBe(true);
  });

  it('rejects a body signed with another secret', () => {
    expect(verifyGithub(Buffer.from('body'), signGithub('body', 'other'), ['mine'])).toEqual({
      ok: false,
      error: 'mismatch',
    });
  });

  it('accepts any secret of a rotation list, current or previous', () => {
    const body = Buffer.from('{"zen":"rotate"}');
    expect(verifyGithub(body, signGithub(body, 'previous'), ['current', 'previous']).ok).toBe(true);
    expect(verifyGithub(body, signGithub(body, 'current'), ['current', 'previous']).ok).toBe(true);
    expect(verifyGithub(body, signGithub(body, 'retired'), ['current', 'previous']).ok).toBe(false);
  });

  it.each([
    [undefined, 'missing_signature'],
    ['', 'missing_signature'],
    ['sha1=abc', 'malformed_signature'],
    ['sha256=xyz', 'malformed_signature'],
    [`sha256=${'0'.repeat(63)}`, 'malformed_signature'],
  ])('classifies the signature %p as %s', (signature, error) => {
    expect(verifyGithub(Buffer.from('x'), signature, ['s'])).toEqual({ ok: false, error });
  });

  it('never verifies a body with one byte flipped', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (bytes, at, flip) => {
          const body = Buffer.from(bytes);
          const signature = signGithub(body, 'secret');
          const tampered = Buffer.from(body);
          const index = at % tampered.length;
          tampered[index] = (tampered[index] ?? 0) ^ flip;
          return verifyGithub(tampered, signature, ['secret']).ok === false;
        },
      ),
    );
  });
});
