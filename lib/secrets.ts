import { parseJsonObject } from './util/parse-json';

/** Secret values by key: webhook secrets and tokens, and Cliq channel URLs (which hold a zapikey). */
export type Secrets = Readonly<Record<string, string>>;
export type SecretSource = () => Promise<Secrets>;

export class SecretFormatError extends Error {
  override readonly name = 'SecretFormatError';
}

const strings = (record: Record<string, unknown>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'string' && value.trim() !== '') out[key] = value;
  }
  return out;
};

/** Local runs: secrets from the environment, over the development defaults, read once at start. */
export const fromEnvironment = (
  env: Readonly<Record<string, string | undefined>>,
  defaults: Secrets = {},
): SecretSource => {
  const secrets: Secrets = { ...defaults, ...strings(env) };
  return async () => secrets;
};

/** A secret as Secrets Manager's GetSecretValue returns it: its text, or its bytes. */
export interface StoredSecret {
  readonly SecretString?: string | undefined;
  readonly SecretBinary?: Uint8Array | undefined;
}
export type ReadSecret = (secretId: string) => Promise<StoredSecret>;

/** The secret's JSON object (its text, else its bytes as UTF-8), or a SecretFormatError that never shows it. */
const parseSecret = (stored: StoredSecret, secretId: string): Secrets => {
  const text =
    stored.SecretString || (stored.SecretBinary ? new TextDecoder('utf-8').decode(stored.SecretBinary) : '');
  const parsed = parseJsonObject(text);
  if (!parsed.ok) {
    throw new SecretFormatError(`secret ${secretId} must hold a JSON object of key/value strings`);
  }
  return strings(parsed.value);
};

/**
 * AWS: one JSON secret holding every key, kept for `maxAgeSeconds` so a warm Lambda does not call Secrets
 * Manager per request and still picks up a rotation within minutes. Reads that overlap share one call; a
 * read that fails (or finds no JSON object) is not kept, so the next one tries again.
 */
export const fromSecretsManager = (
  read: ReadSecret,
  secretId: string,
  maxAgeSeconds = 300,
  now: () => number = Date.now,
): SecretSource => {
  let kept: { readonly secrets: Secrets; readonly at: number } | undefined;
  let reading: Promise<Secrets> | undefined;
  return async () => {
    if (kept !== undefined && now() - kept.at <= maxAgeSeconds * 1000) return kept.secrets;
    reading ??= read(secretId)
      .then((stored) => {
        const secrets = parseSecret(stored, secretId);
        if (maxAgeSeconds > 0) kept = { secrets, at: now() };
        return secrets;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
};

/**
 * The Secrets Manager client loads on the first secret read, not at module init: a function container pays
 * for it once, when it first needs a secret.
 */
export const secretsManagerIn = (region: string): ReadSecret => {
  let reader: Promise<ReadSecret> | undefined;
  return async (secretId) => {
    reader ??= import('./secrets-manager')
      .then((module) => module.readSecretIn(region))
      .catch((error: unknown) => {
        reader = undefined;
        throw error;
      });
    return (await reader)(secretId);
  };
};
