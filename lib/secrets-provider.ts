import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Powertools Parameters over a Secrets Manager client; lib/secrets.ts loads this on the first secret read. */
export const createSecretsProvider = (region: string): SecretsProvider =>
  new SecretsProvider({ awsSdkV3Client: new SecretsManagerClient({ region }) });
