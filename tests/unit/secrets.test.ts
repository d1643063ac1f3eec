import { fromEnvironment, fromSecretsManager, SecretFormatError } from '../../lib/secrets';

describe('secret sources', () => {
  it('reads one JSON secret with a cache age, keeping non-empty strings', async () => {
    const calls: unknown[] = [];
    const provider = {
      get: async (name: string, options: unknown) => {
        calls.push([name, options]);
        return { GITHUB_WEBHOOK_SECRET: 's1,s0', ZOHO_CLIQ_WEBHOOK_URL: 'https://x', EMPTY: '', NUMBER: 3 };
      },
    };
    const secrets = await fromSecretsManager(provider as never, 'vigil/prod')();
    expect(secrets).toEqual({ GITHUB_WEBHOOK_SECRET: 's1,s0', ZOHO_CLIQ_WEBHOOK_URL: 'https://x' });
    expect(calls).toEqual([['vigil/prod', { maxAge: 300, transform: 'json' }]]);
  });

  it('explains a secret that is not a JSON object, without its value', async () => {
    const provider = { get: async () => 'plain-text-secret' };
    const load = fromSecretsManager(provider as never, 'vigil/prod');
    await expect(load()).rejects.toThrow(SecretFormatError);
    await expect(load()).rejects.toThrow(/vigil\/prod must hold a JSON object/);
    await expect(load()).rejects.not.toThrow(/plain-text-secret/);
  });

  it('lets the environment override the development defaults', async () => {
    const load = fromEnvironment(
      { GITHUB_WEBHOOK_SECRET: 'mine', BLANK: '' },
      { GITHUB_WEBHOOK_SECRET: 'dev', OTHER: 'dev' },
    );
    expect(await load()).toEqual({ GITHUB_WEBHOOK_SECRET: 'mine', OTHER: 'dev' });
  });
});
