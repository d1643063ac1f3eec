import type { Browser, Page } from 'puppeteer-core';
import type { CliqStandIn } from '../../tools/harness/cliq-stand-in';
import { postGithub } from '../../tools/harness/github';
import type { LocalStack } from '../../tools/local/stack';
import { describeInBrowser, launchChromium, watchedPage } from '../helpers/browser';
import { postWorkflowRuns, pullRequest, review } from '../helpers/github-conversation';
import { testStackWithCliq } from '../helpers/local-stack';
import { postSample } from '../helpers/samples';

jest.setTimeout(60_000);

const TOKEN = '1001.console-token.secret';

/** The text as a person reads it on screen (CSS text-transform included). */
const text = (page: Page, selector: string) =>
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what the test asserts
  page.$eval(selector, (element) => (element as HTMLElement).innerText);

/** Waits until the delivery of the entry of `kind` is in `state`, and returns the delivery's text. */
const deliveryIn = async (page: Page, kind: string, state: string): Promise<string> => {
  const selector = `.entry[data-kind="${kind}"] .delivery[data-state="${state}"]`;
  await page.waitForSelector(selector, { timeout: 20_000 });
  return text(page, selector);
};

describeInBrowser('the console in a browser', () => {
  let browser: Browser;
  let cliq: CliqStandIn;
  let stack: LocalStack;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    ({ cliq, stack } = await testStackWithCliq(
      { RETRY_BASE_SECONDS: '1', CLIQ_POSTS_PER_MINUTE: '600' },
      { channel: 'alerts', token: TOKEN },
    ));
  });
  afterEach(async () => {
    await stack.stop();
    await cliq.stop();
  });

  it('shows signed webhooks arriving as Cliq cards with their route and delivery state, live', async () => {
    const { page, errors } = await watchedPage(browser);
    await page.goto(`${stack.url}/`);
    await page.waitForFunction(() => document.getElementById('stream-status')?.textContent === 'live');
    cliq.script('alerts', { status: 503, body: { code: 'internal_error', message: 'down for a moment' } });

    expect((await postSample(stack.url, 'gitlab/pipeline-failed')).status).toBe(202);
    const retrying = await deliveryIn(page, 'gitlab.pipeline.failed', 'retrying');
    expect(retrying).toMatch(/RETRYING AT .* \(ATTEMPT 2\)/i);
    expect(retrying).toContain(
      'last error: delivery failed, will retry: 503 internal_error down for a moment',
    );
    const delivered = await deliveryIn(page, 'gitlab.pipeline.failed', 'delivered');
    expect(delivered).toMatch(/DELIVERED IN [\d.]+ m?s/i);
    expect(delivered).toContain('channel default');

    expect((await postSample(stack.url, 'github/workflow_run-failure')).status).toBe(202);
    await deliveryIn(page, 'github.workflow_run.completed', 'delivered');
    const entry = '.entry[data-kind="github.workflow_run.completed"]';
    expect(await text(page, `${entry} .decision`)).toContain('decided by default → default');
    expect(await text(page, `${entry} .cliq-card-title`)).toMatch(/^🔴 /);
    expect(await page.$$eval(`${entry} .cliq-button`, (buttons) => buttons.length)).toBeGreaterThan(0);
    // what the page shows is what Cliq received
    const posted = cliq.messages('default').concat(cliq.messages('alerts')) as { card: { title: string } }[];
    expect(posted.map((message) => message.card.title)).toContain(
      await text(page, `${entry} .cliq-card-title`),
    );

    const html = await page.content();
    expect(html).not.toContain(TOKEN);
    expect(html).not.toContain('zapikey');
    expect(errors).toEqual([]);
  });

  it('groups a pull request’s replies under the card that opened its thread, the merge marked as also in the channel', async () => {
    // specs/zoho-cliq.md, Threads: replies go to v3 …/messages with thread_message_id; post_in_parent also
    // shows a reply in the channel
    const { page, errors } = await watchedPage(browser);
    await page.goto(`${stack.url}/`);
    const steps: [unknown, string, string][] = [
      [pullRequest('opened'), 'pull_request', 'github.pull_request.opened'],
      [review(), 'pull_request_review', 'github.pull_request_review.submitted'],
      [pullRequest('closed', true), 'pull_request', 'github.pull_request.merged'],
    ];
    for (const [index, [payload, event, kind]] of steps.entries()) {
      expect((await postGithub(stack.url, payload, { event, delivery: `pr-${index}` })).status).toBe(202);
      await deliveryIn(page, kind, 'delivered');
    }
    const [opened, ...replies] = cliq.posts('alerts');
    expect(opened?.parentId).toBeUndefined();
    expect(replies.map((reply) => [reply.parentId, reply.postInParent])).toEqual([
      [opened?.messageId, false],
      [opened?.messageId, true],
    ]);

    const parent = '#feed > .entry[data-kind="github.pull_request.opened"]';
    await page.waitForSelector(`${parent} .replies .entry[data-kind="github.pull_request.merged"]`);
    expect(await page.$$eval('#feed > .entry', (items) => items.length)).toBe(1);
    // oldest reply first, as in the thread
    expect(
      await page.$$eval(`${parent} .replies .entry`, (items) =>
        items.map((item) => item.getAttribute('data-kind')),
      ),
    ).toEqual(['github.pull_request_review.submitted', 'github.pull_request.merged']);
    const head = (kind: string) =>
      text(page, `${parent} .replies .entry[data-kind="${kind}"] .delivery-head`);
    expect(await head('github.pull_request_review.submitted')).toMatch(/reply in thread/i);
    expect(await head('github.pull_request_review.submitted')).not.toMatch(/also in channel/i);
    expect(await head('github.pull_request.merged')).toMatch(/reply in thread.*also in channel/is);
    expect(errors).toEqual([]);
  });

  it('shows a CI run that changed nothing as unchanged, not posted, with its reason', async () => {
    const { page, errors } = await watchedPage(browser);
    await page.goto(`${stack.url}/`);
    const runs: [number, 'failure' | 'success'][] = [
      [21, 'failure'],
      [22, 'success'],
      [23, 'success'],
    ];
    await postWorkflowRuns(stack, runs);
    expect(cliq.messages('alerts')).toHaveLength(2);
    const last = `.entry[data-key="github:run-23"] .delivery`;
    await page.waitForSelector(`${last}[data-state="unchanged"]`, { timeout: 20_000 });
    const shown = await text(page, last);
    expect(shown).toMatch(/^UNCHANGED: NOT POSTED/);
    expect(shown).toMatch(/success after success/i);
    // the run that fixed the build is a reply in the failure's thread, and still shown as delivered
    expect(await page.$('.entry[data-key="github:run-22"] .delivery[data-state="delivered"]')).not.toBeNull();
    expect(errors).toEqual([]);
  });

  it('shows a Cliq 400 in dead letters with its reason, and delivers it once redriven', async () => {
    const { page, errors } = await watchedPage(browser);
    cliq.script('alerts', { status: 400, body: { code: 'input_invalid', message: 'invalid slide' } });
    await page.goto(`${stack.url}/`);
    await postSample(stack.url, 'alertmanager/firing');
    expect(await deliveryIn(page, 'alertmanager.alert.firing', 'dead_lettered')).toContain(
      'DEAD-LETTERED: CLIQ_REJECTED',
    );
    // the tab counts it with SQS's count, without reading the DLQ
    await page.waitForFunction(() => document.querySelector('#dlq-count')?.textContent === '1');

    await page.click('a[href="#dead-letters"]');
    await page.waitForSelector('#dlq-table tbody tr[data-kind="alertmanager.alert.firing"]');
    expect(await text(page, '#dlq-table tbody tr')).toMatch(/cliq_rejected \(400 input_invalid\)/);
    await page.click('#dlq-table tbody tr button[data-show]');
    await page.waitForSelector('#dlq-detail .detail');
    const detail = await text(page, '#dlq-detail .detail');
    expect(detail).toContain('invalid slide');
    expect(detail).toContain('alertmanager.alert.firing');
    expect(await page.$('#dlq-detail .cliq-card')).not.toBeNull();

    await page.click('#dlq-redrive-kind');
    await page.waitForSelector('dialog#confirm[open]');
    expect(await text(page, '#confirm-text')).toContain('kind alertmanager.alert.firing');
    await page.click('#confirm-ok');
    await page.waitForFunction(() => document.querySelector('#dlq-detail')?.textContent?.includes('Moved 1'));
    await page.waitForSelector('#dlq-empty:not([hidden])');

    await page.click('a[href="#live"]');
    await deliveryIn(page, 'alertmanager.alert.firing', 'delivered');
    expect(cliq.messages('alerts')).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('cancelling the confirmation redrives nothing', async () => {
    const { page, errors } = await watchedPage(browser);
    cliq.script('alerts', { status: 400, body: { code: 'input_invalid', message: 'invalid slide' } });
    await postSample(stack.url, 'alertmanager/firing');
    await stack.waitForIdle();
    await page.goto(`${stack.url}/#dead-letters`);
    await page.waitForSelector('#dlq-table tbody tr');
    await page.click('#dlq-redrive-all');
    await page.waitForSelector('dialog#confirm[open]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog#confirm:not([open])');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await page.$$eval('#dlq-table tbody tr', (rows) => rows.length)).toBe(1);
    expect(cliq.messages('alerts')).toHaveLength(0);
    expect(errors).toEqual([]);
  });

  it('explains a sample in the playground without posting it', async () => {
    const { page, errors } = await watchedPage(browser);
    await page.goto(`${stack.url}/#playground`);
    await page.waitForSelector('#pg-sample option[value="github/workflow_run-failure"]');
    await page.select('#pg-sample', 'github/workflow_run-failure');
    await page.waitForFunction(
      () => (document.getElementById('pg-event') as HTMLInputElement).value === 'workflow_run',
    );
    expect(await page.$eval('#pg-payload', (area) => (area as HTMLTextAreaElement).value)).toContain(
      '"workflow_run"',
    );
    await page.click('#playground-form button[type="submit"]');
    await page.waitForSelector('#pg-result .result .cliq-card-title');
    expect(await text(page, '#pg-result .result .decision')).toContain('decided by default');
    expect(await text(page, '#pg-result .result .cliq-card-title')).toMatch(/^🔴 /);

    // an edited routing file decides, and it stays in the page
    await page.$eval('#pg-routing', (area) => {
      (area as HTMLTextAreaElement).value =
        'default: default\nroutes:\n  - name: mute ci\n    match:\n      kind: github.workflow_run.*\n    drop: true\n';
    });
    await page.click('#playground-form button[type="submit"]');
    await page.waitForFunction(() =>
      document.querySelector('#pg-result .decision')?.textContent?.includes('mute ci'),
    );
    expect(await text(page, '#pg-result .result .decision')).toContain('dropped');
    expect(cliq.attempts).toHaveLength(0);
    expect(errors).toEqual([]);
  });

  it('is usable with the keyboard alone', async () => {
    const { page, errors } = await watchedPage(browser);
    await page.goto(`${stack.url}/`);
    for (let presses = 0; presses < 10; presses += 1) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.getAttribute('data-tab'))) === 'playground')
        break;
    }
    await page.keyboard.press('Enter');
    await page.waitForSelector('#panel-playground:not([hidden])');
    expect(await page.$('#panel-live[hidden]')).not.toBeNull();
    expect(errors).toEqual([]);
  });

  it('fits a phone-width window without scrolling sideways', async () => {
    const { page, errors } = await watchedPage(browser);
    await page.setViewport({ width: 375, height: 740 });
    await page.goto(`${stack.url}/`);
    await postSample(stack.url, 'alertmanager/firing');
    await deliveryIn(page, 'alertmanager.alert.firing', 'delivered');
    for (const hash of ['#live', '#playground', '#dead-letters']) {
      await page.goto(`${stack.url}/${hash}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    }
    expect(errors).toEqual([]);
  });
});
