import { createLog } from '../../lib/log';

/**
 * What a function writes, parsed line by line. Lambda hands every line of stdout and stderr to CloudWatch Logs
 * (AWS Lambda Developer Guide, "Working with Lambda function logs"); a JSON line is searchable by field in
 * CloudWatch Logs Insights.
 */
const linesOf = (run: () => void) => {
  const written: { stream: 'stdout' | 'stderr'; line: Record<string, unknown> }[] = [];
  const capture = (stream: 'stdout' | 'stderr') => (chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n').filter(Boolean))
      written.push({ stream, line: JSON.parse(line) as Record<string, unknown> });
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture('stdout'));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture('stderr'));
  try {
    run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return written;
};

describe('structured log lines', () => {
  it('writes one JSON line with level, message, timestamp, service and sampling rate, then the fields', () => {
    const [entry] = linesOf(() =>
      createLog('vigil-github', {}).info('routed', { eventId: 'e1', channels: ['ops'], queued: 1 }),
    );
    expect(entry?.stream).toBe('stdout');
    expect(entry?.line).toEqual({
      level: 'INFO',
      message: 'routed',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      service: 'vigil-github',
      sampling_rate: 0,
      eventId: 'e1',
      channels: ['ops'],
      queued: 1,
    });
    expect(Object.keys(entry?.line ?? {}).slice(0, 5)).toEqual([
      'level',
      'message',
      'timestamp',
      'service',
      'sampling_rate',
    ]);
  });

  it('writes warnings and errors to stderr', () => {
    const lines = linesOf(() => {
      const log = createLog('svc', {});
      log.warn('rejected', { status: 400 });
      log.error('failed', { status: 500 });
    });
    expect(lines.map(({ stream, line }) => [stream, line.level])).toEqual([
      ['stderr', 'WARN'],
      ['stderr', 'ERROR'],
    ]);
  });

  it('logs at INFO by default and honours POWERTOOLS_LOG_LEVEL before LOG_LEVEL', () => {
    const levels = (env: NodeJS.ProcessEnv) =>
      linesOf(() => {
        const log = createLog('svc', env);
        log.debug('d');
        log.info('i');
        log.warn('w');
        log.error('e');
      }).map(({ line }) => line.level);
    expect(levels({})).toEqual(['INFO', 'WARN', 'ERROR']);
    expect(levels({ LOG_LEVEL: 'debug' })).toEqual(['DEBUG', 'INFO', 'WARN', 'ERROR']);
    expect(levels({ POWERTOOLS_LOG_LEVEL: 'WARN', LOG_LEVEL: 'DEBUG' })).toEqual(['WARN', 'ERROR']);
    expect(levels({ POWERTOOLS_LOG_LEVEL: 'SILENT' })).toEqual([]);
  });

  it("follows Lambda's advanced logging controls (AWS_LAMBDA_LOG_LEVEL) over the function's own setting", () => {
    // AWS Lambda Developer Guide, "Configuring advanced logging controls": the application log level filters
    // what the function writes.
    const lines = linesOf(() => {
      const log = createLog('svc', { AWS_LAMBDA_LOG_LEVEL: 'ERROR', POWERTOOLS_LOG_LEVEL: 'DEBUG' });
      log.info('i');
      log.error('e');
    });
    expect(lines.map(({ line }) => line.message)).toEqual(['e']);
  });

  it('shows the sample rate it was given', () => {
    const [entry] = linesOf(() => createLog('svc', { POWERTOOLS_LOGGER_SAMPLE_RATE: '0' }).info('i'));
    expect(entry?.line.sampling_rate).toBe(0);
    const [sampled] = linesOf(() =>
      createLog('svc', { POWERTOOLS_LOGGER_SAMPLE_RATE: '1', POWERTOOLS_LOG_LEVEL: 'WARN' }).debug('d'),
    );
    expect(sampled?.line).toMatchObject({ level: 'DEBUG', sampling_rate: 1 });
  });

  it('serialises an error with its name, message, stack and extra fields', () => {
    const error = Object.assign(new Error('socket hang up', { cause: new TypeError('inner') }), {
      code: 'ECONNRESET',
    });
    const [entry] = linesOf(() => createLog('svc', {}).error('failed', { error }));
    expect(entry?.line.error).toEqual({
      name: 'Error',
      message: 'socket hang up',
      stack: expect.stringContaining('socket hang up'),
      cause: { name: 'TypeError', message: 'inner', stack: expect.stringContaining('inner') },
      code: 'ECONNRESET',
    });
  });

  it('never lets a field overwrite the fields every line owns, and leaves empty ones out', () => {
    const [entry] = linesOf(() =>
      createLog('svc', {}).info('real', {
        level: 'FAKE',
        message: 'fake',
        service: 'x',
        note: '',
        gone: null,
      }),
    );
    expect(entry?.line).toMatchObject({ level: 'INFO', message: 'real', service: 'svc' });
    expect(entry?.line).not.toHaveProperty('note');
    expect(entry?.line).not.toHaveProperty('gone');
  });

  it('still writes a line whose fields refer to themselves, or hold a bigint', () => {
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    const [entry] = linesOf(() => createLog('svc', {}).info('odd', { loop, big: 10n }));
    expect(entry?.line).toMatchObject({ loop: { name: 'loop' }, big: '10' });
  });

  it('never writes a Cliq zapikey, wherever it appears', () => {
    const url = 'https://cliq.zoho.com/api/v2/channelsbyname/ops/message?zapikey=1001.secret.token';
    const lines = linesOf(() => {
      const log = createLog('svc', {});
      log.error('could not post', { error: new Error(`request to ${url} failed`), target: url });
    });
    const text = JSON.stringify(lines);
    expect(text).not.toContain('1001.secret.token');
    expect(text).toContain('zapikey=[redacted]');
  });

  it('names the X-Ray trace when Lambda traces the invocation', () => {
    const before = process.env._X_AMZN_TRACE_ID;
    process.env._X_AMZN_TRACE_ID =
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    try {
      const [entry] = linesOf(() => createLog('svc', {}).info('i'));
      expect(entry?.line.xray_trace_id).toBe('1-5759e988-bd862e3fe1be46a994272793');
    } finally {
      if (before === undefined) delete process.env._X_AMZN_TRACE_ID;
      else process.env._X_AMZN_TRACE_ID = before;
    }
  });
});
