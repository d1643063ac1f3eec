import { fromEnvironment, fromSecretsManager, SecretFormatError, type StoredSecret } from '../../lib/secrets';

/** A stand-in for Secrets Manager's GetSecretValue: answers in turn, counting the calls. */
const secretStore = (...answers: (StoredSecret | Error)[]) => {
  const calls: string[] = [];
  const read = async (secretId: string): Promise<StoredSecret> => {
    calls.push(secretId);
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (answer === undefined || answer instanceof Error) throw answer ?? new Error('no answer');
    return answer;
  };
  return { read, calls };
};
const json = (value: unknown): StoredSecret => ({ SecretString: JSON.stringify(value) });

describe('secrets from Secrets Manager', () => {
  it('reads one JSON secret, keeping non-empty strings', async () => {
    const store = secretStore(
      json({ GITHUB_WEBHOOK_SECRET: 's1,s0', ZOHO_CLIQ_WEBHOOK_URL: 'https://x', EMPTY: '', NUMBER: 3 }),
    );
    const secrets = await fromSecretsManager(store.read, 'vigil/prod')();
    expect(secrets).toEqual({ GITHUB_WEBHOOK_SECRET: 's1,s0', ZOHO_CLIQ_WEBHOOK_URL: 'https://x' });
    expect(store.calls).toEqual(['vigil/prod']);
  });

  it('reads a secret stored as bytes (SecretBinary) as UTF-8 JSON', async () => {
    const store = secretStore({ SecretBinary: new TextEncoder().encode('{"GITLAB_WEBHOOK_TOKEN":"tök"}') });
    expect(await fromSecretsManager(store.read, 'vigil/prod')()).toEqual({ GITLAB_WEBHOOK_TOKEN: 'tök' });
  });

  it('asks Secrets Manager once per five minutes by default, then picks up a rotated value', async () => {
    let clock = 0;
    const store = secretStore(json({ KEY: 'old' }), json({ KEY: 'rotated' }));
    const load = fromSecretsManager(store.read, 'vigil/prod', undefined, () => clock);
    expect(await load()).toEqual({ KEY: 'old' });
    clock = 300_000;
    expect(await load()).toEqual({ KEY: 'old' });
    expect(store.calls).toHaveLength(1);
    clock = 300_001;
    expect(await load()).toEqual({ KEY: 'rotated' });
    expect(store.calls).toHaveLength(2);
  });

  it('keeps the secret for the age it is given, and not at all for 0', async () => {
    let clock = 0;
    const kept = secretStore(json({ KEY: 'v' }));
    const load = fromSecretsManager(kept.read, 'vigil/prod', 60, () => clock);
    await load();
    clock = 60_001;
    await load();
    expect(kept.calls).toHaveLength(2);

    const never = secretStore(json({ KEY: 'v' }));
    const uncached = fromSecretsManager(never.read, 'vigil/prod', 0, () => clock);
    await uncached();
    await uncached();
    expect(never.calls).toHaveLength(2);
  });

  it('lets requests arriving while the first read is under way share its one call', async () => {
    const store = secretStore(json({ KEY: 'v' }));
    const load = fromSecretsManager(store.read, 'vigil/prod');
    const all = await Promise.all([load(), load(), load()]);
    expect(all).toEqual([{ KEY: 'v' }, { KEY: 'v' }, { KEY: 'v' }]);
    expect(store.calls).toHaveLength(1);
  });

  it('does not keep a failed read: the next request asks again', async () => {
    const store = secretStore(new Error('Rate exceeded'), json({ KEY: 'v' }));
    const load = fromSecretsManager(store.read, 'vigil/prod');
    await expect(load()).rejects.toThrow('Rate exceeded');
    expect(await load()).toEqual({ KEY: 'v' });
    expect(store.calls).toHaveLength(2);
  });

  it.each([
    ['plain text', { SecretString: 'plain-text-secret' }],
    ['a JSON array', { SecretString: '["plain-text-secret"]' }],
    ['a JSON string', { SecretString: '"plain-text-secret"' }],
    ['bytes that are not JSON', { SecretBinary: new TextEncoder().encode('plain-text-secret') }],
    ['no value', {}],
  ])('explains a secret holding %s, without its value', async (_what, stored: StoredSecret) => {
    const load = fromSecretsManager(secretStore(stored).read, 'vigil/prod');
    const error = await load().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SecretFormatError);
    expect((error as Error).message).toBe('secret vigil/prod must hold a JSON object of key/value strings');
  });

  it('reads a corrected secret on the next request after a malformed one', async () => {
    const store = secretStore({ SecretString: 'plain-text-secret' }, json({ KEY: 'v' }));
    const load = fromSecretsManager(store.read, 'vigil/prod');
    await expect(load()).rejects.toThrow(SecretFormatError);
    expect(await load()).toEqual({ KEY: 'v' });
  });
});

describe('secrets from the environment', () => {
  it('lets the environment override the development defaults', async () => {
    const load = fromEnvironment(
      { GITHUB_WEBHOOK_SECRET: 'mine', BLANK: '' },
      { GITHUB_WEBHOOK_SECRET: 'dev', OTHER: 'dev' },
    );
    expect(await load()).toEqual({ GITHUB_WEBHOOK_SECRET: 'mine', OTHER: 'dev' });
  });
});
