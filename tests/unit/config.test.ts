import { randomBytes } from 'node:crypto';
import { channelKey } from '../../lib/channels';
import { ConfigError, DEFAULT_MAX_BODY_BYTES, loadConfig } from '../../lib/config';
import { sourceEvent } from '../helpers/sources';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      local: false,
      maxBodyBytes: 4_194_304,
      postsPerMinute: 20,
      cliqTimeoutMs: 10_000,
      region: 'us-east-1',
    });
  });

  it('is local under serverless invoke local (IS_LOCAL) and the local stack (VIGIL_LOCAL), never otherwise', () => {
    expect(loadConfig({ IS_LOCAL: 'true' }).local).toBe(true);
    expect(loadConfig({ VIGIL_LOCAL: '1' }).local).toBe(true);
    expect(loadConfig({ IS_LOCAL: 'false' }).local).toBe(false);
  });

  it('allows signed timestamps 300 s from the clock unless WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS says otherwise', () => {
    expect(loadConfig({}).timestampToleranceSeconds).toBe(300);
    expect(loadConfig({ WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS: '900' }).timestampToleranceSeconds).toBe(900);
    expect(() => loadConfig({ WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS: '0' })).toThrow(
      /WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS must be at least 1/,
    );
  });

  it('reads CLIQ_POSTS_PER_MINUTE so tests and operators can raise it', () => {
    expect(loadConfig({ CLIQ_POSTS_PER_MINUTE: '50' }).postsPerMinute).toBe(50);
  });

  it('names the state table from STATE_TABLE, and locally finds DynamoDB on DYNAMODB_ENDPOINT or DYNAMODB_PORT', () => {
    expect(loadConfig({ STATE_TABLE: 'vigil-prod-state' }).stateTable).toBe('vigil-prod-state');
    expect(loadConfig({ STATE_TABLE: '' }).stateTable).toBeUndefined();
    expect(loadConfig({}).dynamodbEndpoint).toBe('http://127.0.0.1:8000');
    expect(loadConfig({ DYNAMODB_PORT: '8100' }).dynamodbEndpoint).toBe('http://127.0.0.1:8100');
    expect(loadConfig({ DYNAMODB_ENDPOINT: 'http://localhost:4566' }).dynamodbEndpoint).toBe(
      'http://localhost:4566',
    );
  });

  it('tells an external DynamoDB (DYNAMODB_ENDPOINT) from the one the local stack embeds', () => {
    expect(loadConfig({}).externalDynamodb).toBe(false);
    expect(loadConfig({ DYNAMODB_PORT: '8100' }).externalDynamodb).toBe(false);
    expect(loadConfig({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' }).externalDynamodb).toBe(true);
  });

  it('keeps the local stack state in VIGIL_STATE_DIR, by default .vigil/state', () => {
    expect(loadConfig({}).stateDir).toBe('.vigil/state');
    expect(loadConfig({ VIGIL_STATE_DIR: '/var/lib/vigil' }).stateDir).toBe('/var/lib/vigil');
  });

  it.each([
    [{ DYNAMODB_ENDPOINT: 'localhost' }, /DYNAMODB_ENDPOINT must be a URL/],
    [{ DYNAMODB_PORT: 'eight' }, /DYNAMODB_PORT must be a number/],
    [{ VIGIL_STATE_DIR: '' }, /VIGIL_STATE_DIR must name a directory/],
    [{ CLIQ_POSTS_PER_MINUTE: 'fast' }, /CLIQ_POSTS_PER_MINUTE must be a number/],
    [{ CLIQ_POSTS_PER_MINUTE: '0' }, /CLIQ_POSTS_PER_MINUTE must be at least 1/],
    [{ MAX_BODY_BYTES: '1.5' }, /MAX_BODY_BYTES must be a whole number/],
    [{ QUEUE_URL: 'not a url' }, /QUEUE_URL must be a URL/],
  ])('fails at start naming the bad key: %p', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

/**
 * AWS Lambda quotas: a synchronous invocation's payload (API Gateway's event JSON) is at most 6 MB, 6,291,456
 * bytes. A body Vigil accepts must fit in it, even base64-encoded, with API Gateway's headers around it.
 */
describe('MAX_BODY_BYTES', () => {
  const LAMBDA_PAYLOAD = 6_291_456;
  const headers = { 'x-padding': 'h'.repeat(10_240) };

  it('by default lets the largest body it accepts reach Lambda base64-encoded', () => {
    const event = sourceEvent('docker', randomBytes(DEFAULT_MAX_BODY_BYTES), { base64: true, headers });
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(LAMBDA_PAYLOAD);
  });

  it('by default lets the largest body it accepts reach Lambda as JSON text, quotes escaped', () => {
    const item = JSON.stringify({ id: 'x', labels: { 'a"b': 'c\\d' }, n: 1 });
    const body = `[${`${item},`.repeat(Math.floor(DEFAULT_MAX_BODY_BYTES / (item.length + 1)) - 1)}${item}]`;
    expect(body.length).toBeLessThanOrEqual(DEFAULT_MAX_BODY_BYTES);
    expect(Buffer.byteLength(JSON.stringify(sourceEvent('docker', body, { headers })))).toBeLessThan(
      LAMBDA_PAYLOAD,
    );
  });

  it('cannot be set past what Lambda takes, where it would promise what AWS refuses', () => {
    expect(() => loadConfig({ MAX_BODY_BYTES: String(26_214_400) })).toThrow(
      /MAX_BODY_BYTES must be at most/,
    );
  });
});

describe('channelKey', () => {
  it('keeps the default channel in ZOHO_CLIQ_WEBHOOK_URL and named channels in CLIQ_URL_<NAME>', () => {
    expect(channelKey('default')).toBe('ZOHO_CLIQ_WEBHOOK_URL');
    expect(channelKey('ops')).toBe('CLIQ_URL_OPS');
    expect(channelKey('on-call')).toBe('CLIQ_URL_ON_CALL');
  });
});
