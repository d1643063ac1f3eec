/**
 * `npm run cards`: renders every source's sample messages (events/) with the console's renderer in headless
 * Chromium, into docs/cards/<source>-<sample>.png and .html, and lists them in the README's source sections.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cardPictures, pictureDocument, readmeImages } from '../tools/local/console/cards';
import { launchChromium } from '../tools/local/console/chromium';

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'docs', 'cards');

const main = async () => {
  const pictures = cardPictures();
  mkdirSync(OUT, { recursive: true });
  for (const file of readdirSync(OUT)) rmSync(join(OUT, file));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 720, height: 600, deviceScaleFactor: 1 });
    for (const picture of pictures) {
      writeFileSync(join(OUT, `${picture.name}.html`), picture.html);
      await page.setContent(pictureDocument(picture), { waitUntil: 'load' });
      const shot = await page.$('#shot');
      await shot?.screenshot({ path: join(OUT, `${picture.name}.png`) as `${string}.png` });
      process.stdout.write(`docs/cards/${picture.name}.png\n`);
    }
  } finally {
    await browser.close();
  }
  const readmePath = join(ROOT, 'README.md');
  const readme = readFileSync(readmePath, 'utf8').replace(
    /(<!-- cards:([a-z]+) -->\n)[\s\S]*?(<!-- \/cards -->)/g,
    (_whole, open: string, source: string, close: string) =>
      `${open}${readmeImages(pictures, source)}\n${close}`,
  );
  writeFileSync(readmePath, readme);
};

main().catch((error: unknown) => {
  process.stderr.write(`cards: ${(error as Error).message}\n`);
  process.exit(1);
});
