import type { StoredSecret } from '../../lib/secrets';

// Secrets Manager API Reference, GetSecretValue: the request names the secret by SecretId; the answer holds
// SecretString or SecretBinary.
describe('reading the secret from Secrets Manager', () => {
  it('loads the Secrets Manager client on the first read, not with the code that reads secrets, and only once', async () => {
    const happened: unknown[] = [];
    jest.doMock('@aws-sdk/client-secrets-manager', () => {
      happened.push('client module loaded');
      const actual = jest.requireActual('@aws-sdk/client-secrets-manager');
      return {
        ...actual,
        SecretsManagerClient: class {
          constructor(config: unknown) {
            happened.push(['client', config]);
          }
          async send(command: { constructor: { name: string }; input: unknown }): Promise<StoredSecret> {
            happened.push([command.constructor.name, command.input]);
            return { SecretString: '{"KEY":"v"}' };
          }
        },
      };
    });
    const { secretsManagerIn } = await import('../../lib/secrets');
    const read = secretsManagerIn('eu-central-1');
    expect(happened).toEqual([]);

    expect(await read('vigil/prod')).toEqual({ SecretString: '{"KEY":"v"}' });
    await read('vigil/prod');
    expect(happened).toEqual([
      'client module loaded',
      ['client', { region: 'eu-central-1' }],
      ['GetSecretValueCommand', { SecretId: 'vigil/prod' }],
      ['GetSecretValueCommand', { SecretId: 'vigil/prod' }],
    ]);
  });
});
