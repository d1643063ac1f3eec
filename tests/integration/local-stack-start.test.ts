import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../../tools/local/stack';
import { LOCK_FILE } from '../../tools/local/state-lock';
import { recordingLog } from '../helpers/log';

/** `npm start`'s refusals: each names the variable to fix, before the stack takes a request. */
const start = (env: Record<string, string>, options: { port?: number; sqsPort?: number } = {}) =>
  startLocalStack({ log: recordingLog().log, tickMs: 250, ...options, env });
const refusal = (env: Record<string, string>, options: { port?: number; sqsPort?: number } = {}) =>
  start(env, options).then(
    async (stack) => {
      await stack.stop();
      return 'started';
    },
    (error: Error) => error.message,
  );

const occupy = async (): Promise<{ port: number; server: Server }> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
};
const freePort = async () => {
  const { port, server } = await occupy();
  await new Promise((resolve) => server.close(resolve));
  return port;
};

describe('npm start with a Cliq URL that cannot be posted to', () => {
  const URL_PROBLEMS: [string, string, RegExp][] = [
    [
      'ZOHO_CLIQ_WEBHOOK_URL',
      'cliq.zoho.com/api/v2/channelsbyname/ops/message?zapikey=1001.SECRETKEY',
      /has no scheme/,
    ],
    [
      'CLIQ_URL_OPS',
      'http://cliq.zoho.eu/api/v2/channelsbyname/ops/message?zapikey=1001.SECRETKEY',
      /must be an https:\/\/ URL/,
    ],
    [
      'CLIQ_URL_DEV',
      'https://cliq.zoho.com/api/v2/bots/vigil/incoming?zapikey=1001.SECRETKEY',
      /bot incoming-webhook URL/,
    ],
    ['ZOHO_CLIQ_WEBHOOK_URL', 'https://cliq.zoho.com/api/v2/channelsbyname/ops/message', /has no zapikey/],
    [
      'CLIQ_URL_OPS',
      'https://cliq.zoho.com/api/v2/chats/1234/message?zapikey=1001.SECRETKEY',
      /not a channel or bot message endpoint/,
    ],
  ];
  it.each(URL_PROBLEMS)(
    'refuses %s=%s, naming the variable and never the zapikey',
    async (key, url, problem) => {
      const message = await refusal({ [key]: url }, { port: 0, sqsPort: 0 });
      expect(message).toMatch(new RegExp(`^${key} `));
      expect(message).toMatch(problem);
      expect(message).not.toContain('SECRETKEY');
    },
  );

  it('lists every bad URL at once', async () => {
    const message = await refusal(
      {
        ZOHO_CLIQ_WEBHOOK_URL: 'cliq.zoho.com/x?zapikey=SECRETKEY',
        CLIQ_URL_OPS: 'https://cliq.zoho.com/api/v2/bots/b/incoming?zapikey=SECRETKEY',
      },
      { port: 0, sqsPort: 0 },
    );
    expect(message).toMatch(/ZOHO_CLIQ_WEBHOOK_URL has no scheme/);
    expect(message).toMatch(/CLIQ_URL_OPS is a bot incoming-webhook URL/);
  });
});

describe('npm start with a port that is taken or not a port', () => {
  it('names PORT, SQS_PORT or DYNAMODB_PORT when its port is in use, and that another npm start may run', async () => {
    const busy = await occupy();
    try {
      const cases: [string, Record<string, string>, { port?: number; sqsPort?: number }][] = [
        ['PORT', { PORT: String(busy.port) }, { sqsPort: 0 }],
        ['SQS_PORT', { SQS_PORT: String(busy.port) }, { port: 0 }],
        [
          'DYNAMODB_PORT',
          { SQS_PORT: String(await freePort()), DYNAMODB_PORT: String(busy.port) },
          { port: 0 },
        ],
      ];
      for (const [variable, env, options] of cases) {
        expect([variable, await refusal(env, options)]).toEqual([
          variable,
          `${variable} ${busy.port} is in use on 127.0.0.1: another npm start may be running (stop it), or set ${variable} to a free port`,
        ]);
      }
    } finally {
      await new Promise((resolve) => busy.server.close(resolve));
    }
    // a refused start leaves nothing listening: the same ports start a stack now
    const stack = await start({}, { port: 0, sqsPort: 0 });
    await stack.stop();
  }, 30_000);

  it.each(['PORT', 'SQS_PORT', 'DYNAMODB_PORT'])('names %s when it is not a port', async (variable) => {
    const message = await refusal({ [variable]: 'abc' });
    expect(message).toMatch(new RegExp(`\\b${variable}\\b`));
    expect(message).toMatch(/not a port|must be a number/);
  });
});

describe('npm start on a VIGIL_STATE_DIR another one uses', () => {
  it('says the state is in use by the stack that has it, instead of failing inside LevelDB', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-lock-'));
    const first = await start({ VIGIL_STATE_DIR: dir }, { port: 0, sqsPort: 0 });
    try {
      expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
      expect(await refusal({ VIGIL_STATE_DIR: dir }, { port: 0, sqsPort: 0 })).toBe(
        `the state in ${dir} (VIGIL_STATE_DIR) is in use by process ${process.pid}: another npm start may be running; stop it, or set VIGIL_STATE_DIR to another directory`,
      );
    } finally {
      await first.stop();
    }
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    // once the first stopped, the state is free again
    const again = await start({ VIGIL_STATE_DIR: dir }, { port: 0, sqsPort: 0 });
    await again.stop();
  }, 30_000);

  it('names another live process that holds the lock, and takes over a lock whose process is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-lock-'));
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid}\n`);
    expect(await refusal({ VIGIL_STATE_DIR: dir }, { port: 0, sqsPort: 0 })).toMatch(
      `is in use by process ${process.ppid}:`,
    );
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.once('exit', resolve));
    writeFileSync(join(dir, LOCK_FILE), `${gone.pid}\n`);
    const stack = await start({ VIGIL_STATE_DIR: dir }, { port: 0, sqsPort: 0 });
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    await stack.stop();
  }, 30_000);
});
