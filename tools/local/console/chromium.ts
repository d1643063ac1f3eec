import { existsSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { Browser, PuppeteerNode } from 'puppeteer-core';

/** Debian's Chromium (`apt-get install chromium`): pictures and browser tests use it, never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * puppeteer-core ships only ES modules, which CommonJS on Node 20 (esbuild-register, Jest) cannot require:
 * it is bundled once into one CommonJS file in the temp directory, per version, and required from there.
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
