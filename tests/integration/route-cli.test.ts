import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { octokitExample } from '../../tools/harness/github';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const route = (...args: string[]) =>
  run(process.execPath, ['-r', 'esbuild-register', 'scripts/route.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, VIGIL_CONFIG: '' },
    timeout: 60_000,
  });

const temp = (name: string, text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'vigil-route-')), name);
  writeFileSync(path, text);
  return path;
};

describe('npm run route', () => {
  it('prints its usage for --help, and names a wrong option with the usage instead of a stack trace', async () => {
    expect((await route('--help')).stdout).toMatch(/^usage: npm run route -- --file/);
    const wrong = await route('--nope').catch((error: { code: number; stderr: string }) => error);
    expect(wrong).toMatchObject({ code: 2, stderr: expect.stringMatching(/--nope[\s\S]*usage:/) });
  });

  it('names an unknown source, even one spelled like a JavaScript property, with the sources to use', async () => {
    const payload = temp('payload.json', '{}');
    for (const source of ['bitbucket', 'constructor', 'toString']) {
      const wrong = await route('--source', source, '--file', payload).catch(
        (error: { code: number; stderr: string }) => error,
      );
      expect(wrong).toMatchObject({
        code: 2,
        stderr: expect.stringContaining(`unknown source ${source}: use one of github,`),
      });
    }
  });

  it('explains a plain payload under a routing file: matched routes, channels and the message, posting nothing', async () => {
    const payload = temp(
      'payload.json',
      JSON.stringify(octokitExample('push', (p) => p.ref === 'refs/heads/master')),
    );
    const config = temp(
      'vigil.config.yaml',
      'default: drop\nchannels: { backend: {} }\nroutes:\n  - { name: pushes to backend, match: { kind: github.push }, to: backend, mention: "{@dev@acme.com}" }\n',
    );
    const { stdout } = await route(
      '--source',
      'github',
      '--event',
      'push',
      '--file',
      payload,
      '--config',
      config,
    );
    expect(stdout).toContain('matched: pushes to backend');
    expect(stdout).toContain('posts to: backend');
    expect(stdout).toContain('── Cliq preview · channel backend · github.push ──');
    expect(stdout).toContain('{@dev@acme.com}');
  }, 60_000);

  it('names the rate-limit owner of each channel that has one', async () => {
    const config = temp(
      'vigil.config.yaml',
      'default: drop\nchannels: { ops: { owner: alice@acme.com }, dev: {} }\nroutes:\n  - { name: both, to: [ops, dev] }\n',
    );
    const { stdout } = await route('--file', 'events/alertmanager/firing.json', '--config', config);
    expect(stdout).toContain('posts to: ops (rate budget of alice@acme.com), dev');
  }, 60_000);

  it('says when a held event would post, routing as of --at', async () => {
    const config = temp(
      'vigil.config.yaml',
      [
        'default: ops',
        'channels: { ops: { hold_during: [quiet-hours] } }',
        'time_intervals:',
        '  - name: quiet-hours',
        '    time_intervals: [{ times: [{ start_time: "22:00", end_time: "24:00" }, { start_time: "00:00", end_time: "07:00" }], location: Europe/Berlin }]',
      ].join('\n'),
    );
    const at = (time: string) => route('--file', 'events/github/push.json', '--config', config, '--at', time);
    expect((await at('2026-12-07T22:30:00Z')).stdout).toContain(
      '  ops: held (quiet-hours until 07:00 Europe/Berlin): posts at 2026-12-08 07:00 Europe/Berlin',
    );
    expect((await at('2026-12-07T12:00:00Z')).stdout).not.toContain('held');
    const wrong = await at('tonight').catch((error: { code: number; stderr: string }) => error);
    expect(wrong).toMatchObject({ code: 2, stderr: expect.stringContaining('--at tonight is not a time') });
  }, 60_000);

  it('says when an event is dropped, and prints JSON with --json', async () => {
    const payload = temp(
      'payload.json',
      JSON.stringify(octokitExample('workflow_job', (p) => p.action === 'queued')),
    );
    const { stdout } = await route(
      '--source',
      'github',
      '--event',
      'workflow_job',
      '--file',
      payload,
      '--json',
    );
    const result = JSON.parse(stdout) as {
      explained: { decision: { dropped: boolean; decidedBy: string } }[];
    };
    expect(result.explained[0]?.decision).toMatchObject({
      dropped: true,
      decidedBy: 'queued and running CI',
    });
  }, 60_000);

  it('names a missing, unreadable or non-JSON --file in one line instead of a stack trace', async () => {
    const fails = (...args: string[]) =>
      route('--source', 'github', '--event', 'push', ...args).catch(
        (error: { code: number; stderr: string }) => error,
      );
    const cases: [string, string][] = [
      [join(tmpdir(), 'vigil-no-such-payload.json'), 'vigil-no-such-payload.json: no such file'],
      ['events', '--file events: a directory, not a file'],
      [temp('broken.json', '{"ref": '), 'broken.json is not JSON: '],
      [temp('list.json', '[1, 2]'), 'list.json: not a JSON object'],
    ];
    for (const [file, message] of cases) {
      const wrong = await fails('--file', file);
      expect(wrong).toMatchObject({ code: 2, stderr: expect.stringContaining(message) });
      expect((wrong as { stderr: string }).stderr.trim().split('\n')).toHaveLength(1);
      expect((wrong as { stderr: string }).stderr).not.toMatch(/\bat .*\(|node:internal|Error:/);
    }
  }, 60_000);

  // README.md's "To see what a payload would do" block: each command runs as written, on files in the repo.
  const readmeRoutes = [
    ...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/^npm run route -- (.+?)(?:\s+#.*)?$/gm),
  ].map((match) => (match[1] ?? '').split(/\s+/));
  it('finds the README route examples', () => expect(readmeRoutes.length).toBeGreaterThanOrEqual(2));
  it.each(readmeRoutes.map((args) => [args.join(' '), args]))(
    'runs the README example npm run route -- %s',
    async (_name, args) => {
      const { stdout } = await route(...(args as string[]));
      expect(stdout).toMatch(/decided by: /);
    },
    60_000,
  );

  const samples = readdirSync(join(ROOT, 'events'))
    .filter((dir) => dir !== 'sender')
    .map(
      (dir) => `events/${dir}/${readdirSync(join(ROOT, 'events', dir)).find((file) => file !== 'ping.json')}`,
    );
  it.each(samples)(
    'works on the %s sample',
    async (file) => {
      const { stdout } = await route('--file', file);
      expect(stdout).toMatch(/decided by: /);
    },
    60_000,
  );
});
