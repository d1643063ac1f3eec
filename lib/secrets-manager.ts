import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ReadSecret } from './secrets';

/** Secrets Manager's GetSecretValue over a client; lib/secrets.ts loads this module on the first secret read. */
const readSecretWith =
  (client: Pick<SecretsManagerClient, 'send'>): ReadSecret =>
  (secretId) =>
    client.send(new GetSecretValueCommand({ SecretId: secretId }));

export const readSecretIn = (region: string): ReadSecret =>
  readSecretWith(new SecretsManagerClient({ region }));
