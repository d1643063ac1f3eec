import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerForwarder } from '../../tools/forwarder/docker-forwarder';
import { Spool } from '../../tools/forwarder/spool';
import { closeServer, listenOnLoopback } from '../../tools/harness/loopback';
import type { LocalStack } from '../../tools/local/stack';
import { fakeDocker } from '../helpers/fake-docker';
import { testStack } from '../helpers/local-stack';
import { recordingLog } from '../helpers/log';

const ROOT = join(__dirname, '..', '..');
const TOKEN = 'vigil-development-token';

const line = (Action: string, attributes: Record<string, string> = {}, time = 1795435200) =>
  JSON.stringify({
    Type: 'container',
    Action,
    Actor: {
      ID: `id-${Action}-${time}`,
      Attributes: { name: `web-${time}`, image: 'acme/web:1', ...attributes },
    },
    time,
    timeNano: time * 1e9,
  });

/** The docker events stream of one bad afternoon: three events worth a message among routine ones. */
const STREAM = [
  line('start'),
  line('exec_start: sh -c healthcheck'),
  line('die', { exitCode: '0' }, 1795435201),
  line('die', { exitCode: '137' }, 1795435202),
  line('oom', {}, 1795435203),
  line('health_status: unhealthy', {}, 1795435204),
  line('stop', {}, 1795435205),
  'not json at all',
];

const spoolFile = () => join(mkdtempSync(join(tmpdir(), 'vigil-spool-')), 'docker-spool.jsonl');

const forwarder = (
  url: string,
  spool: Spool,
  extra: Partial<ConstructorParameters<typeof DockerForwarder>[0]> = {},
) =>
  new DockerForwarder({
    url,
    token: TOKEN,
    host: 'app-host-7',
    spool,
    log: recordingLog().log,
    backoffMs: 20,
    maxBackoffMs: 50,
    attempts: 2,
    ...extra,
  });

describe('docker forwarder', () => {
  let stack: LocalStack;
  beforeEach(async () => {
    // each event previewed on its own: four arriving together would otherwise be merged into a digest
    stack = await testStack({ DIGEST_AFTER: '100' });
  });
  afterEach(() => stack.stop());

  it('forwards only the alert-worthy events, each naming its host', async () => {
    const spool = new Spool(spoolFile());
    const fwd = forwarder(`${stack.url}/webhooks/docker`, spool);
    for (const entry of STREAM) fwd.push(entry);
    const stats = await fwd.close();
    expect(stats).toMatchObject({ read: 8, skipped: 4, invalid: 1, sent: 3, spooled: 0 });
    await stack.waitForIdle();
    expect(stack.previews.map((preview) => preview.kind).sort()).toEqual([
      'docker.container.die',
      'docker.container.health_status_unhealthy',
      'docker.container.oom',
    ]);
    expect(JSON.stringify(stack.previews)).toContain('app-host-7');
  });

  it('spools to disk while Vigil is unreachable and delivers everything once it is back, oldest first', async () => {
    const path = spoolFile();
    const offline = forwarder('http://127.0.0.1:1/webhooks/docker', new Spool(path));
    for (const entry of STREAM) offline.push(entry);
    expect(await offline.close()).toMatchObject({ sent: 0, spooled: 3 });
    expect(new Spool(path).size).toBe(3);

    const online = forwarder(`${stack.url}/webhooks/docker`, new Spool(path));
    online.push(line('kill', { signal: '9' }, 1795435300));
    expect(await online.close()).toMatchObject({ sent: 4 });
    expect(new Spool(path).size).toBe(0);
    await stack.waitForIdle();
    expect(stack.previews.map((preview) => preview.kind)).toEqual([
      'docker.container.die',
      'docker.container.oom',
      'docker.container.health_status_unhealthy',
      'docker.container.kill',
    ]);
  });

  it('keeps events whose token Vigil refuses, so fixing the token loses nothing', async () => {
    const path = spoolFile();
    const wrong = new DockerForwarder({
      url: `${stack.url}/webhooks/docker`,
      token: 'wrong',
      host: 'h',
      spool: new Spool(path),
      log: recordingLog().log,
      backoffMs: 10,
      attempts: 1,
    });
    wrong.push(line('oom'));
    expect(await wrong.close()).toMatchObject({ sent: 0, spooled: 1 });
    const right = forwarder(`${stack.url}/webhooks/docker`, new Spool(path));
    expect(await right.close()).toMatchObject({ sent: 1 });
  });
});

describe('docker forwarder batching', () => {
  it('sends small batches with bearer auth', async () => {
    const requests: { auth: string | undefined; count: number }[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        requests.push({
          auth: request.headers.authorization,
          count: (JSON.parse(Buffer.concat(chunks).toString()) as unknown[]).length,
        });
        response.writeHead(202).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const fwd = forwarder(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/docker`,
        new Spool(spoolFile()),
        { batchSize: 20 },
      );
      for (let i = 0; i < 45; i++) fwd.push(line('oom', {}, 1795435000 + i));
      await fwd.close();
      expect(requests.map((r) => r.count)).toEqual([20, 20, 5]);
      expect(new Set(requests.map((r) => r.auth))).toEqual(new Set([`Bearer ${TOKEN}`]));
    } finally {
      server.close();
    }
  });
});

describe('npm run docker-forwarder -- --stdin', () => {
  it('reads JSON lines on stdin and forwards them', async () => {
    const stack = await testStack();
    try {
      const output = await new Promise<string>((resolve, reject) => {
        const child = execFile(
          process.execPath,
          [
            '-r',
            'esbuild-register',
            'scripts/docker-forwarder.ts',
            '--stdin',
            '--url',
            `${stack.url}/webhooks/docker`,
            '--host',
            'cli-host',
            '--spool',
            spoolFile(),
          ],
          {
            cwd: ROOT,
            env: { ...process.env, DOCKER_WEBHOOK_TOKEN: TOKEN, POWERTOOLS_LOG_LEVEL: 'ERROR' },
            timeout: 30_000,
          },
          (error, stdout) => (error ? reject(error) : resolve(stdout)),
        );
        child.stdin?.end(`${STREAM.join('\n')}\n`);
      });
      expect(JSON.parse(output.trim().split('\n').at(-1) ?? '{}')).toMatchObject({
        done: true,
        sent: 3,
        leftInSpool: 0,
      });
      await stack.waitForIdle();
      expect(stack.previews).toHaveLength(3);
      expect(JSON.stringify(stack.previews)).toContain('cli-host');
    } finally {
      await stack.stop();
    }
  }, 40_000);
});

/** A docker event line with an exact timeNano (too large for a JSON number built in JavaScript). */
const timed = (Action: string, timeNano: string, attributes: Record<string, string> = {}) =>
  JSON.stringify({
    Type: 'container',
    Action,
    Actor: { ID: `id-${Action}`, Attributes: { name: 'web', image: 'acme/web:1', ...attributes } },
    time: Number(timeNano.slice(0, 10)),
    timeNano: 0,
  }).replace('"timeNano":0', `"timeNano":${timeNano}`);

/** Stands in for Vigil's docker route: records every event posted, or never answers when `hang`. */
const receiver = async (hang = false) => {
  const events: { Action: string }[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (hang) return;
      events.push(...(JSON.parse(Buffer.concat(chunks).toString()) as { Action: string }[]));
      response.writeHead(202).end('{}');
    });
  });
  const url = `${await listenOnLoopback(server)}/webhooks/docker`;
  return { url, events, close: () => closeServer(server) };
};

/** The real CLI, reading `docker events` from the fake docker first on PATH. */
const startCli = (url: string, dockerDir: string, spool: string) => {
  const child = spawn(
    process.execPath,
    ['-r', 'esbuild-register', 'scripts/docker-forwarder.ts', '--url', url, '--host', 'h1', '--spool', spool],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PATH: `${dockerDir}:${process.env.PATH}`,
        DOCKER_WEBHOOK_TOKEN: TOKEN,
        POWERTOOLS_LOG_LEVEL: 'ERROR',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.once('exit', (code) => resolve({ code, at: Date.now() })),
  );
  const done = () => JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
  return { child, exited, done };
};

const until = async (condition: () => boolean, what: string, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** Sends SIGTERM and says how long the process took to exit (Infinity if it had not within 10 s). */
const terminate = async (cli: {
  child: ChildProcess;
  exited: Promise<{ code: number | null; at: number }>;
}) => {
  const sent = Date.now();
  cli.child.kill('SIGTERM');
  const stillRunning = new Promise<{ code: null; at: number }>((resolve) =>
    setTimeout(() => resolve({ code: null, at: Number.POSITIVE_INFINITY }), 10_000).unref(),
  );
  const { code, at } = await Promise.race([cli.exited, stillRunning]);
  return { code, tookMs: at - sent };
};

describe('npm run docker-forwarder (reading docker events)', () => {
  it('runs docker events again with --since the last event when it ends, so events across a dockerd restart all arrive once', async () => {
    const vigil = await receiver();
    const oom = timed('oom', '1795435203250000007');
    const docker = fakeDocker([
      {
        lines: [
          timed('die', '1795435201500000001', { exitCode: '137' }),
          timed('start', '1795435202000000000'),
          oom,
        ],
        end: 'exit',
      },
      // docker's --since includes the event at that very time: the oom comes again and must not be sent twice
      {
        expectSince: '1795435203.250000007',
        lines: [
          oom,
          timed('kill', '1795435204000000000', { signal: '9' }),
          timed('restart', '1795435205000000000'),
        ],
        end: 'exit',
      },
      { expectSince: '1795435205.000000000', lines: [], end: 'wait' },
    ]);
    const cli = startCli(vigil.url, docker.dir, spoolFile());
    try {
      await until(() => vigil.events.length >= 4 && docker.runs().length >= 3, 'the events of both runs');
      const { code } = await terminate(cli);
      expect(code).toBe(0);
      expect(vigil.events.map((event) => event.Action)).toEqual(['die', 'oom', 'kill', 'restart']);
      expect(
        docker.runs().map((args) => (args.includes('--since') ? args[args.indexOf('--since') + 1] : null)),
      ).toEqual([null, '1795435203.250000007', '1795435205.000000000']);
      expect(docker.runs()[0]).toEqual(['events', '--format', '{{json .}}', '--filter', 'type=container']);
      expect(cli.done()).toMatchObject({ done: true, sent: 4, dockerEventsRuns: 3, leftInSpool: 0 });
    } finally {
      cli.child.kill('SIGKILL');
      await vigil.close();
    }
  }, 40_000);

  it('started again after it stopped, reads docker events from a minute before the last event it saw, so the gap is read', async () => {
    const vigil = await receiver();
    const spool = spoolFile();
    const first = fakeDocker([
      { lines: [timed('die', '1795435201500000001', { exitCode: '1' })], end: 'wait' },
    ]);
    const before = startCli(vigil.url, first.dir, spool);
    try {
      await until(() => vigil.events.length >= 1, 'the first forwarder to send the die');
      expect((await terminate(before)).code).toBe(0);
    } finally {
      before.child.kill('SIGKILL');
    }
    // while it was down the container was killed; the next forwarder asks docker from 60 s before the die
    const second = fakeDocker([
      {
        expectSince: '1795435141.500000001',
        lines: [timed('die', '1795435201500000001', { exitCode: '1' }), timed('kill', '1795435230000000000')],
        end: 'wait',
      },
    ]);
    const after = startCli(vigil.url, second.dir, spool);
    try {
      await until(() => vigil.events.length >= 3, 'the second forwarder to read the gap');
      expect(second.runs()[0]).toContain('--since');
      // the die comes again (Vigil's identity makes it one event); the kill from the gap arrives
      expect(vigil.events.map((event) => event.Action)).toEqual(['die', 'die', 'kill']);
      expect((await terminate(after)).code).toBe(0);
    } finally {
      after.child.kill('SIGKILL');
      await vigil.close();
    }
  }, 40_000);

  it('started again and stopped with no new events, keeps its cursor where it was: a quiet restart does not step it back', async () => {
    const vigil = await receiver();
    const spool = spoolFile();
    const run = async (docker: ReturnType<typeof fakeDocker>, expectEvents: number) => {
      const cli = startCli(vigil.url, docker.dir, spool);
      try {
        await until(
          () => vigil.events.length >= expectEvents && docker.runs().length >= 1,
          'docker events to run',
        );
        expect((await terminate(cli)).code).toBe(0);
      } finally {
        cli.child.kill('SIGKILL');
      }
    };
    try {
      await run(
        fakeDocker([{ lines: [timed('die', '1795435201500000001', { exitCode: '1' })], end: 'wait' }]),
        1,
      );
      // two quiet restarts: each reads from a minute before the die, never from further back
      for (const _ of [1, 2]) {
        const quiet = fakeDocker([{ expectSince: '1795435141.500000001', lines: [], end: 'wait' }]);
        await run(quiet, 1);
        expect(quiet.runs()[0]).toEqual(expect.arrayContaining(['--since', '1795435141.500000001']));
      }
    } finally {
      await vigil.close();
    }
  }, 40_000);

  it('on SIGTERM sends the events still pending and exits within two seconds', async () => {
    const vigil = await receiver();
    const docker = fakeDocker([
      {
        lines: [timed('die', '1795435201000000000', { exitCode: '1' }), timed('oom', '1795435202000000000')],
        end: 'wait',
      },
    ]);
    const cli = startCli(vigil.url, docker.dir, spoolFile());
    try {
      await until(() => docker.printed(1), 'docker events to print');
      const { code, tookMs } = await terminate(cli);
      expect(code).toBe(0);
      expect(tookMs).toBeLessThan(2000);
      expect(vigil.events.map((event) => event.Action)).toEqual(['die', 'oom']);
      expect(cli.done()).toMatchObject({ done: true, sent: 2, spooled: 0, leftInSpool: 0 });
    } finally {
      cli.child.kill('SIGKILL');
      await vigil.close();
    }
  }, 40_000);

  it('on SIGTERM while Vigil does not answer, spools the pending events and exits within a couple of seconds', async () => {
    const vigil = await receiver(true);
    const docker = fakeDocker([
      {
        lines: [timed('die', '1795435201000000000', { exitCode: '1' }), timed('oom', '1795435202000000000')],
        end: 'wait',
      },
    ]);
    const spool = spoolFile();
    const cli = startCli(vigil.url, docker.dir, spool);
    try {
      await until(() => docker.printed(1), 'docker events to print');
      const { code, tookMs } = await terminate(cli);
      expect(code).toBe(0);
      expect(tookMs).toBeLessThan(2500);
      expect(cli.done()).toMatchObject({ done: true, sent: 0, spooled: 2, leftInSpool: 2, spool });
      expect(new Spool(spool).read().map((event) => (event as { Action: string }).Action)).toEqual([
        'die',
        'oom',
      ]);
    } finally {
      cli.child.kill('SIGKILL');
      await vigil.close();
    }
  }, 40_000);
});
