import { existsSync } from 'node:fs';
import type { Browser, Page } from 'puppeteer-core';
import { CHROMIUM, launchChromium } from '../../tools/local/console/chromium';

const present = existsSync(CHROMIUM);

/**
 * `describe` for browser tests: skipped with a note on a developer machine without Chromium, but never in CI
 * (CI=true), where a missing browser must fail the run.
 */
export const describeInBrowser: jest.Describe =
  present || process.env.CI === 'true' ? describe : describe.skip;
if (!present && process.env.CI !== 'true')
  process.stderr.write(`browser tests skipped: ${CHROMIUM} is absent (apt-get install -y chromium)\n`);

export { launchChromium };

/** A page that keeps every console error and uncaught exception, so a test can require there are none. */
export const watchedPage = async (browser: Browser): Promise<{ page: Page; errors: string[] }> => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} ${message.location().url ?? ''}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${(error as Error).message}`));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  return { page, errors };
};
