import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseDocument } from 'yaml';
import { CliqStandIn } from '../../tools/harness/cliq-stand-in';
import type { LocalStack } from '../../tools/local/stack';
import {
  type Daemon,
  describeWithPrograms,
  findBinary,
  freeLoopbackPort,
  startDaemon,
} from '../helpers/daemon';
import { testStack } from '../helpers/local-stack';

/*
 * The real clients: Debian's prometheus-alertmanager (0.25) and prometheus post to the local stack, using the
 * examples users copy (docs/examples/prometheus). Alertmanager's webhook_config and API v2 follow
 * https://prometheus.io/docs/alerting/latest/configuration/#webhook_config and
 * https://github.com/prometheus/alertmanager/blob/main/api/v2/openapi.yaml (POST /api/v2/alerts).
 */

const EXAMPLES = join(__dirname, '..', '..', 'docs', 'examples', 'prometheus');
const ALERTMANAGER = findBinary('prometheus-alertmanager', 'alertmanager');
const PROMETHEUS = findBinary('prometheus');
const AMTOOL = findBinary('amtool');
const PROMTOOL = findBinary('promtool');
const INSTALL = 'apt-get install prometheus-alertmanager prometheus';
const TOKEN = 'alertmanager-client-test-token';

const run = promisify(execFile);
/** A shipped example with some of its values replaced (paths as in YAML: keys and list indexes). */
const exampleWith = (file: string, changes: readonly [readonly (string | number)[], unknown][]): string => {
  const document = parseDocument(readFileSync(join(EXAMPLES, file), 'utf8'));
  for (const [path, value] of changes) document.setIn(path, document.createNode(value));
  if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
  return document.toString();
};

const waitFor = async <T>(
  what: string,
  find: () => T | undefined,
  timeoutMs = 30_000,
  explain: () => string = () => '',
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${explain()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

interface Card {
  readonly status: 'firing' | 'resolved' | undefined;
  readonly text: string;
}

/** What a delivered card says: the status row of its first slide, and the whole body as text to search. */
const cardOf = (message: unknown): Card => {
  const text = JSON.stringify(message);
  const status = /"Status":"(firing|resolved)/.exec(text)?.[1] as Card['status'];
  return { status, text };
};

describeWithPrograms(
  'Prometheus Alertmanager posting to the local stack',
  { 'prometheus-alertmanager': ALERTMANAGER },
  INSTALL,
  () => {
    let dir = '';
    let cliq: CliqStandIn;
    let stack: LocalStack;
    let alertmanager: Daemon | undefined;
    let alertmanagerUrl = '';

    const cards = (alertname: string) =>
      cliq
        .messages('ops')
        .map(cardOf)
        .filter((card) => card.text.includes(alertname));

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'vigil-alertmanager-'));
      cliq = await new CliqStandIn().start();
      writeFileSync(join(dir, 'vigil.config.yaml'), 'default: default\n');
      stack = await testStack({
        VIGIL_CONFIG: join(dir, 'vigil.config.yaml'),
        ZOHO_CLIQ_WEBHOOK_URL: cliq.channelUrl('ops', 'tok-1'),
        ALERTMANAGER_TOKEN: TOKEN,
        RETRY_BASE_SECONDS: '1',
        CLIQ_POSTS_PER_MINUTE: '600',
      });

      // the shipped example, pointed at the local stack, with timings short enough for a test
      writeFileSync(
        join(dir, 'alertmanager.yml'),
        exampleWith('alertmanager.yml', [
          [['global', 'resolve_timeout'], '5s'],
          [['route', 'group_wait'], '1s'],
          [['route', 'group_interval'], '1s'],
          [['route', 'repeat_interval'], '1h'],
          [['receivers', 0, 'webhook_configs', 0, 'url'], `${stack.url}/webhooks/alertmanager`],
          [['receivers', 0, 'webhook_configs', 0, 'http_config', 'authorization', 'credentials'], TOKEN],
        ]),
      );

      const port = await freeLoopbackPort();
      alertmanagerUrl = `http://127.0.0.1:${port}`;
      alertmanager = await startDaemon(
        ALERTMANAGER ?? 'prometheus-alertmanager',
        [
          `--config.file=${join(dir, 'alertmanager.yml')}`,
          `--storage.path=${join(dir, 'alertmanager-data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          `--web.external-url=${alertmanagerUrl}`,
          '--cluster.listen-address=',
          '--log.level=warn',
        ],
        `${alertmanagerUrl}/-/ready`,
      );
    }, 60_000);

    afterAll(async () => {
      await alertmanager?.stop();
      await stack?.stop();
      await cliq?.stop();
      if (dir !== '') rmSync(dir, { recursive: true, force: true });
    });

    it('delivers a firing alert posted to its API, then its resolution, as two cards', async () => {
      const alert = {
        labels: { alertname: 'DiskAlmostFull', service: 'billing-db', severity: 'critical' },
        annotations: { summary: 'data volume 95% full' },
        generatorURL: 'http://127.0.0.1:9090/graph',
        startsAt: new Date(Date.now() - 60_000).toISOString(),
      };
      const post = (body: unknown) =>
        fetch(`${alertmanagerUrl}/api/v2/alerts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });

      expect((await post([alert])).status).toBe(200);
      const firing = await waitFor('the firing card', () => cards('DiskAlmostFull')[0]);
      expect(firing.status).toBe('firing');
      expect(firing.text).toContain('data volume 95% full');

      expect((await post([{ ...alert, endsAt: new Date(Date.now() - 1_000).toISOString() }])).status).toBe(
        200,
      );
      await waitFor('the resolved card', () => cards('DiskAlmostFull')[1]);
      expect(cards('DiskAlmostFull').map((card) => card.status)).toEqual(['firing', 'resolved']);
      // one conversation: the resolution is a reply in the firing card's thread, also shown in the channel
      const [parent, reply] = cliq
        .posts('ops')
        .filter((post) => JSON.stringify(post.body).includes('DiskAlmostFull'));
      expect(parent?.parentId).toBeUndefined();
      expect(reply).toMatchObject({ parentId: parent?.messageId, postInParent: true });
      // every post Alertmanager made was accepted: the bearer token of the example's http_config matched
      expect(cliq.attempts.every((attempt) => attempt.status === 200 || attempt.status === 204)).toBe(true);
    }, 60_000);

    describeWithPrograms(
      'with Prometheus evaluating the example rules',
      { prometheus: PROMETHEUS },
      INSTALL,
      () => {
        let prometheus: Daemon | undefined;

        beforeAll(async () => {
          const port = await freeLoopbackPort();
          writeFileSync(
            join(dir, 'prometheus.yml'),
            exampleWith('prometheus.yml', [
              [['global', 'scrape_interval'], '1s'],
              [['global', 'evaluation_interval'], '1s'],
              [['rule_files'], [join(EXAMPLES, 'rules.yml')]],
              [
                ['alerting', 'alertmanagers', 0, 'static_configs', 0, 'targets'],
                [alertmanagerUrl.replace('http://', '')],
              ],
              [['scrape_configs', 0, 'static_configs', 0, 'targets'], [`127.0.0.1:${port}`]],
            ]),
          );
          prometheus = await startDaemon(
            PROMETHEUS ?? 'prometheus',
            [
              `--config.file=${join(dir, 'prometheus.yml')}`,
              `--storage.tsdb.path=${join(dir, 'prometheus-data')}`,
              `--web.listen-address=127.0.0.1:${port}`,
              // an alert that fires before Prometheus has found its Alertmanager is dropped, and sent again
              // only after this delay (a minute by default)
              '--rules.alert.resend-delay=1s',
              '--log.level=warn',
            ],
            `http://127.0.0.1:${port}/-/ready`,
          );
        }, 60_000);

        afterAll(async () => {
          await prometheus?.stop();
        });

        it('delivers the example rule that fires at once: Prometheus → Alertmanager → Vigil → Cliq', async () => {
          const card = await waitFor(
            'the VigilPipelineCheck card',
            () => cards('VigilPipelineCheck')[0],
            30_000,
            () =>
              `Prometheus said:\n${prometheus?.output()}\nAlertmanager said:\n${alertmanager?.output()}\nCliq got:\n${JSON.stringify(cliq.attempts.map((attempt) => attempt.body)).slice(0, 3000)}`,
          );
          expect(card.status).toBe('firing');
          expect(card.text).toContain('Prometheus, Alertmanager and Vigil are connected');
        }, 60_000);
      },
    );
  },
);

describeWithPrograms('the Prometheus examples', { amtool: AMTOOL, promtool: PROMTOOL }, INSTALL, () => {
  it('alertmanager.yml passes amtool check-config', async () => {
    await expect(
      run(AMTOOL ?? 'amtool', ['check-config', join(EXAMPLES, 'alertmanager.yml')]),
    ).resolves.toBeDefined();
  });

  it('rules.yml passes promtool check rules, and prometheus.yml promtool check config', async () => {
    await expect(
      run(PROMTOOL ?? 'promtool', ['check', 'rules', join(EXAMPLES, 'rules.yml')]),
    ).resolves.toBeDefined();
    await expect(
      run(PROMTOOL ?? 'promtool', ['check', 'config', join(EXAMPLES, 'prometheus.yml')]),
    ).resolves.toBeDefined();
  });
});
