import { createLog } from '../../lib/log';
import { gatheredOutput } from '../../lib/output';
import { SOURCES } from '../../lib/sources/registry';
import { ingestDeps, webhookHandler } from '../../lib/wiring/ingest';
import { githubEvent, octokitExample } from '../../tools/harness/github';

/**
 * Lambda hands every line of stdout to CloudWatch Logs (AWS Lambda Developer Guide, "Working with Lambda
 * function logs"), and each write to that pipe is a system call. An ingest invocation writes its log lines and
 * its EMF metrics line together, once, when it ends.
 */
const writesOf = async (run: () => Promise<unknown>) => {
  const writes: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  const capture = (stream: 'stdout' | 'stderr') => (chunk: string | Uint8Array) => {
    writes.push({ stream, text: String(chunk) });
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture('stdout'));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture('stderr'));
  try {
    await run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return writes;
};

const ENV = {
  AWS_REGION: 'us-east-1',
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/vigil-prod-events.fifo',
  GITHUB_WEBHOOK_SECRET: 'vigil-development-secret',
  ZOHO_CLIQ_WEBHOOK_URL: 'https://cliq.zoho.com/api/v2/channelsbyname/ops/message?zapikey=SECRETKEY',
  POWERTOOLS_LOG_LEVEL: 'INFO',
};

const handler = () =>
  webhookHandler(SOURCES.github, {
    ...ingestDeps(SOURCES.github, ENV, { default: 'default', channels: {}, routes: [] }),
    enqueue: async (messages) => ({ queued: messages.length }),
  });

describe('what an ingest invocation writes', () => {
  it('writes its log line and its metrics line to stdout in one write, at the end', async () => {
    const ingest = handler();
    const body = Buffer.from(JSON.stringify(octokitExample('push')));
    const writes = await writesOf(() => ingest(githubEvent(body, { event: 'push', delivery: 'd-1' })));
    expect(writes).toHaveLength(1);
    const lines = (writes[0]?.text ?? '')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(writes[0]?.stream).toBe('stdout');
    expect(lines.map((line) => line.message ?? (line._aws ? 'metrics' : '?'))).toEqual(['routed', 'metrics']);
    expect(writes[0]?.text).not.toContain('SECRETKEY');
  });

  it('writes a rejection (stderr) with nothing held back', async () => {
    const ingest = handler();
    const body = Buffer.from('{"not":"signed"}');
    const writes = await writesOf(() =>
      ingest(
        githubEvent(body, { event: 'push', headers: { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` } }),
      ),
    );
    expect(writes.map((write) => write.stream)).toEqual(['stderr', 'stdout']);
    expect(JSON.parse(writes[0]?.text ?? '{}')).toMatchObject({
      level: 'WARN',
      message: 'rejected',
      status: 401,
    });
    expect(writes[1]?.text).toContain('"_aws"');
  });
});

describe('what a local ingest writes', () => {
  it('writes each line as it is logged: nothing waits for a flush the local stack never calls', async () => {
    const deps = ingestDeps(
      SOURCES.github,
      { ...ENV, IS_LOCAL: 'true' },
      { default: 'default', channels: {}, routes: [] },
    );
    const writes = await writesOf(async () => deps.log.info('queue offline: dry run'));
    expect(writes).toHaveLength(1);
    expect(JSON.parse(writes[0]?.text ?? '{}')).toMatchObject({ message: 'queue offline: dry run' });
  });
});

describe('a gathered output', () => {
  it('keeps stdout lines until flushed, and a stderr line writes them first', () => {
    const written: string[] = [];
    const output = gatheredOutput((text) => written.push(text));
    const log = createLog('svc', {}, output);
    log.info('one');
    log.info('two');
    expect(written).toEqual([]);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(`stderr:${String(chunk)}`);
      return true;
    });
    try {
      log.warn('three');
    } finally {
      stderr.mockRestore();
    }
    expect(
      written.map((text) =>
        text
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line.replace(/^stderr:/, '')).message),
      ),
    ).toEqual([['one', 'two'], ['three']]);
    output.flush();
    expect(written).toHaveLength(2);
  });
});
