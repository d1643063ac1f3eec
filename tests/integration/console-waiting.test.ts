import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { CliqStandIn } from '../../tools/harness/cliq-stand-in';
import { octokitExample, postGithub } from '../../tools/harness/github';
import type { LocalStack } from '../../tools/local/stack';
import { describeInBrowser, launchChromium, watchedPage } from '../helpers/browser';
import { testStack } from '../helpers/local-stack';

jest.setTimeout(60_000);

const TOKEN = '1001.console-waiting-token.secret';

/** The text as a person reads it on screen (CSS text-transform included). */
const text = (page: Page, selector: string) =>
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what the test asserts
  page.$eval(selector, (element) => (element as HTMLElement).innerText);

describeInBrowser('the console’s Waiting tab in a browser', () => {
  let browser: Browser;
  let cliq: CliqStandIn;
  let stack: LocalStack;
  // 22:58:30 UTC on the stack's clock: the quiet hours (22:00–23:00 UTC) end in 90 s
  let offset = 0;
  const now = () => Date.now() + offset;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    offset = Date.parse('2026-12-07T22:58:30Z') - Date.now();
    cliq = await new CliqStandIn().start();
    const file = join(mkdtempSync(join(tmpdir(), 'vigil-waiting-')), 'vigil.config.yaml');
    writeFileSync(
      file,
      `
default: ops
channels:
  ops: { hold_during: [quiet-hours] }
time_intervals:
  - name: quiet-hours
    time_intervals:
      - times: [{ start_time: "22:00", end_time: "23:00" }]
`,
    );
    stack = await testStack(
      { VIGIL_CONFIG: file, CLIQ_URL_OPS: cliq.channelUrl('ops', TOKEN), CLIQ_POSTS_PER_MINUTE: '600' },
      { now },
    );
  });
  afterEach(async () => {
    await stack.stop();
    await cliq.stop();
  });

  it('lists the held events per owner and channel with why they wait and when they post, and empties when they have posted', async () => {
    const { page, errors } = await watchedPage(browser);
    await page.emulateTimezone('UTC');
    await page.goto(`${stack.url}/#waiting`);
    await page.waitForSelector('#waiting-empty:not([hidden])');
    expect(await text(page, '#waiting-empty')).toContain('Nothing is waiting');

    const payload = octokitExample('issues', (p) => p.action === 'opened');
    for (const n of [1, 2]) {
      const issue = { ...(payload.issue as object), number: n, title: `Quiet issue ${n}` };
      const response = await postGithub(
        stack.url,
        { ...payload, issue },
        { event: 'issues', delivery: `quiet-${n}` },
      );
      expect(response.status).toBe(202);
    }
    await stack.waitForIdle();
    expect(cliq.posts('ops')).toEqual([]);

    const channel = '.waiting-owner .waiting-channel[data-channel="ops"]';
    await page.waitForFunction(
      (selector) => document.querySelectorAll(`${selector} .waiting-events li`).length === 2,
      { timeout: 10_000 },
      channel,
    );
    expect(await text(page, '#waiting-count')).toBe('2');
    expect(await text(page, `${channel} .delivery-head`)).toMatch(
      /^HELD\s+→ channel ops\s+2 waiting\s+quiet-hours until 23:00 UTC · posts at 23:00:00$/,
    );
    expect(
      await page.$$eval(`${channel} .waiting-events li`, (items) => items.map((li) => li.textContent)),
    ).toEqual([
      'github Codertocat opened issue #1: Quiet issue 1',
      'github Codertocat opened issue #2: Quiet issue 2',
    ]);
    // an owner is shown by its safe name, the hash of its token
    expect(await text(page, '.waiting-owner .subject')).toMatch(/^cliq-[0-9a-f]{32}$/);

    // at phone width the long owner name wraps instead of scrolling the page sideways
    await page.setViewport({ width: 360, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    // the window ends: the tick posts them as one digest, and the tab empties
    offset += 91_000;
    await stack.tick();
    await stack.waitForIdle();
    expect(cliq.posts('ops')).toHaveLength(1);
    await page.waitForSelector('#waiting-empty:not([hidden])', { timeout: 10_000 });
    expect(await text(page, '#waiting-count')).toBe('');
    expect(await page.$$('.waiting-owner')).toHaveLength(0);

    const html = await page.content();
    expect(html).not.toContain(TOKEN);
    expect(html).not.toContain('zapikey');
    expect(errors).toEqual([]);
  });
});
