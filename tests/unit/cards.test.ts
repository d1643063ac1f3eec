import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cardPictures } from '../../tools/local/console/cards';
import { renderMessage } from '../../tools/local/console/render-card';
import { listSamples, sampleMessages } from '../../tools/local/console/samples';

const ROOT = join(__dirname, '..', '..');
const pictures = cardPictures();
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

const count = (html: string, pattern: RegExp) => html.match(pattern)?.length ?? 0;

describe('the cards pictured in the docs', () => {
  it('cover every source that has samples', () => {
    const sources = new Set(listSamples().map((sample) => sample.source));
    expect(new Set(pictures.map((picture) => picture.sample.source))).toEqual(sources);
  });

  it.each(pictures.map((picture) => [picture.name, picture] as const))(
    '%s renders as docs/cards shows it, pictured in the README (else run npm run cards)',
    (name, picture) => {
      expect(readFileSync(join(ROOT, 'docs', 'cards', `${name}.html`), 'utf8')).toBe(picture.html);
      expect(existsSync(join(ROOT, 'docs', 'cards', `${name}.png`))).toBe(true);
      expect(readme).toContain(`(docs/cards/${name}.png)`);
    },
  );

  it.each(listSamples().map((sample) => [sample.name, sample] as const))(
    '%s keeps every part of its message: title, slides, buttons',
    (_name, sample) => {
      for (const { message } of sampleMessages(sample)) {
        const html = renderMessage(message);
        expect(html).toContain('<div class="cliq-card-title">');
        expect(count(html, /<section class="cliq-slide /g)).toBeGreaterThanOrEqual(
          message.slides?.length ?? 0,
        );
        expect(count(html, /class="cliq-button[ "]/g)).toBe(message.buttons?.length ?? 0);
        // markup is rendered, never shown raw: no Cliq link syntax survives outside a code span
        expect(html.replace(/<code>[^<]*<\/code>/g, '')).not.toMatch(/\]\(https?:/);
      }
    },
  );
});
