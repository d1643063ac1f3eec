import { existsSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { Browser, Page, PuppeteerNode } from 'puppeteer-core';

/** Debian's Chromium (`apt-get install chromium`); browser tests drive it, never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

const present = existsSync(CHROMIUM);

/**
 * `describe` for browser tests: skipped with a note on a developer machine without Chromium, but never in CI
 * (CI=true), where a missing browser must fail the run.
 */
export const describeInBrowser: jest.Describe =
  present || process.env.CI === 'true' ? describe : describe.skip;
if (!present && process.env.CI !== 'true')
  process.stderr.write(`browser tests skipped: ${CHROMIUM} is absent (apt-get install -y chromium)\n`);

/**
 * puppeteer-core ships only ES modules, which Jest on Node 20 cannot require: it is bundled once into one
 * CommonJS file (in the temp directory, per version) and required from there.
 */
const loadPuppeteer = (): PuppeteerNode => {
  const { version } = require('puppeteer-core/package.json') as { version: string };
  const file = join(tmpdir(), `vigil-puppeteer-core-${version}.cjs`);
  if (!existsSync(file)) {
    const partial = `${file}.${process.pid}`;
    buildSync({
      stdin: { contents: "export { default } from 'puppeteer-core';", resolveDir: __dirname },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: partial,
      logLevel: 'error',
    });
    renameSync(partial, file);
  }
  return (require(file) as { default: PuppeteerNode }).default;
};

export const launchChromium = (): Promise<Browser> =>
  loadPuppeteer().launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'] });

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
