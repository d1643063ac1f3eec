import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { isRecord } from './util/json';

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

/**
 * AWS: one JSON secret holding every key, cached for `maxAgeSeconds` by Powertools Parameters so a warm
 * Lambda does not call Secrets Manager per request and still picks up a rotation within minutes.
 */
export const fromSecretsManager =
  (provider: Pick<SecretsProvider, 'get'>, secretId: string, maxAgeSeconds = 300): SecretSource =>
  async () => {
    const value = await provider.get(secretId, { maxAge: maxAgeSeconds, transform: 'json' });
    if (!isRecord(value)) {
      throw new SecretFormatError(`secret ${secretId} must hold a JSON object of key/value strings`);
    }
    return strings(value);
  };

/**
 * The Secrets Manager client and Powertools Parameters load on the first secret read, not at module init:
 * a function container pays for them once, when it first needs a secret.
 */
export const secretsManagerProvider = (region: string): Pick<SecretsProvider, 'get'> => {
  let provider: Promise<SecretsProvider> | undefined;
  const load = async () => (await import('./secrets-provider')).createSecretsProvider(region);
  return {
    get: async (name, options) => {
      provider ??= load().catch((error: unknown) => {
        provider = undefined;
        throw error;
      });
      return (await provider).get(name, options);
    },
  } as Pick<SecretsProvider, 'get'>;
};
