import fc from 'fast-check';
import { escapeCliq, link } from '../../lib/cliq/escape';
import type { CliqMessage } from '../../lib/cliq/message';
import { renderInline, renderMarkup } from '../../tools/local/console/markup';
import { renderMessage } from '../../tools/local/console/render-card';

// Markup rules from Zoho Cliq's message formatting, as distilled in shared/specs/zoho-cliq.md (Text markup).

/** The elements and attributes in an HTML fragment, in order: what markup the renderer produced. */
const tags = (html: string): string[] =>
  [...html.matchAll(/<([a-z0-9]+)[\s>]/g)].map((match) => match[1] ?? '');

/** Every tag in the HTML, with its attributes; text holds no `<`, so each `<` starts one of these. */
const markupOf = (html: string): string[] => {
  const found = [...html.matchAll(/<[^>]*>/g)].map((match) => match[0]);
  expect(found).toHaveLength(html.split('<').length - 1);
  return found;
};
/** The renderer's own elements and attributes; links only to the web or mail. */
const ALLOWED =
  /^<\/?(article|div|span|p|br|strong|em|s|code|pre|h3|h4|hr|section|dl|dt|dd|table|thead|tbody|tr|th|td|ul|li|a)(\s(class|scope|aria-hidden|title|target|rel)="[^"<>]*"|\shref="(https?:\/\/|mailto:)[^"<>]*")*>$/;

describe('renderInline', () => {
  it.each([
    ['*bold*', '<strong>bold</strong>'],
    ['_italic_', '<em>italic</em>'],
    ['~strike~', '<s>strike</s>'],
    ['`npm ci`', '<code>npm ci</code>'],
    ['*bold with _italic_ inside*', '<strong>bold with <em>italic</em> inside</strong>'],
    ['{@all}', '<span class="cliq-mention">@all</span>'],
    ['{@ana@acme.io}', '<span class="cliq-mention">@ana@acme.io</span>'],
  ])('renders %s', (text, html) => {
    expect(renderInline(text)).toBe(html);
  });

  it('renders a link that opens in a new tab without handing it the page', () => {
    expect(renderInline('see [the run](https://github.com/acme/api/actions/runs/1)')).toBe(
      'see <a href="https://github.com/acme/api/actions/runs/1" target="_blank" rel="noopener noreferrer">the run</a>',
    );
  });

  it('keeps snake_case words and lone marks as text', () => {
    expect(renderInline('fix_the_build at 3 * 4 ~ 12')).toBe('fix_the_build at 3 * 4 ~ 12');
  });

  it('shows a javascript: link as its text, not a link', () => {
    const html = renderInline('[click](javascript:alert(1))');
    expect(html).not.toContain('<a');
    expect(html).toContain('[click]');
  });

  it('leaves markup that Vigil escaped in user text literal, as Cliq does', () => {
    const html = renderInline(escapeCliq('*bold* _it_ ~s~ `c` {@all} [x](https://evil.example)'));
    expect(tags(html)).toEqual([]);
    expect(html).toBe('*bold* _it_ ~s~ `c` {@all} [x](https://evil.example)');
  });

  it('renders an escaped label inside a link built by link()', () => {
    expect(renderInline(link('fix *all* {@all}', 'https://x.example/a?b=1'))).toBe(
      '<a href="https://x.example/a?b=1" target="_blank" rel="noopener noreferrer">fix *all* {@all}</a>',
    );
  });
});

describe('renderMarkup', () => {
  it('renders headings, small headings and rules on their own lines', () => {
    expect(renderMarkup('#Deploy\n###Details\nline one\nline two\n---\nafter')).toBe(
      '<h3 class="cliq-heading">Deploy</h3><h4 class="cliq-small-heading">Details</h4><p>line one<br>line two</p><hr><p>after</p>',
    );
  });

  it('keeps a code block verbatim, markup included', () => {
    expect(renderMarkup('before\n```\n*not bold*\n  <b>x</b>\n```\nafter')).toBe(
      '<p>before</p><pre><code>*not bold*\n  &lt;b&gt;x&lt;/b&gt;</code></pre><p>after</p>',
    );
  });

  it('leaves an escaped #heading as text', () => {
    expect(renderMarkup(escapeCliq('#1 fix'))).toBe('<p>#1 fix</p>');
  });
});

describe('renderMessage', () => {
  const message: CliqMessage = {
    text: '🔴 acme/api: *CI* failed {@ops@acme.io}',
    bot: { name: 'Vigil CI' },
    card: { title: '🔴 Workflow CI failed', theme: 'modern-inline' },
    slides: [
      { type: 'label', title: 'Run', data: [{ Branch: 'main' }, { Commit: '`a1b2c3d`' }] },
      {
        type: 'table',
        title: 'Alerts',
        data: { headers: ['Name', 'Severity'], rows: [{ Name: 'Disk', Severity: 'critical' }] },
      },
      { type: 'list', title: 'Failed steps', data: ['Test', 'Lint'] },
      { type: 'text', title: 'Message', data: 'line\n*two*' },
      { type: 'images', data: ['https://img.example/graph.png'] },
    ],
    buttons: [
      {
        label: 'Open run',
        type: '+',
        action: { type: 'open.url', data: { web: 'https://github.com/acme/api/actions/runs/1' } },
      },
      {
        label: 'Silence',
        type: '-',
        hint: 'for 1h',
        action: { type: 'open.url', data: { web: 'https://am.example/#/silences' } },
      },
    ],
  };

  it('shows the text, the card title, every slide in order and every button', () => {
    const html = renderMessage(message);
    expect(html).toContain('<strong>CI</strong>');
    expect(html).toContain('<span class="cliq-mention">@ops@acme.io</span>');
    expect(html).toContain(
      '<div class="cliq-card cliq-theme-modern-inline"><div class="cliq-card-title">🔴 Workflow CI failed</div>',
    );
    expect([...html.matchAll(/cliq-slide cliq-slide-(\w+)/g)].map((m) => m[1])).toEqual([
      'label',
      'table',
      'list',
      'text',
      'images',
    ]);
    expect(html).toContain('<dt>Branch</dt><dd>main</dd>');
    expect(html).toContain('<th scope="col">Severity</th>');
    expect(html).toContain('<td>critical</td>');
    expect(html).toContain('<li>Lint</li>');
    expect(html).toContain('<p>line<br><strong>two</strong></p>');
    expect(html).toContain(
      'class="cliq-button cliq-button-plus" href="https://github.com/acme/api/actions/runs/1"',
    );
    expect(html).toContain(
      'class="cliq-button cliq-button-minus" href="https://am.example/#/silences" title="for 1h"',
    );
    expect(html).toContain('<span class="cliq-bot-name">Vigil CI</span>');
  });

  it('never fetches an image: an images slide links to each picture', () => {
    const html = renderMessage(message);
    expect(html).not.toMatch(/<img/);
    expect(html).toContain('href="https://img.example/graph.png"');
  });

  it('marks a thread reply', () => {
    expect(renderMessage({ text: 'reply', thread_message_id: '1599044334698_1' })).toContain(
      'reply in thread',
    );
  });

  it('cannot be made to add an element or an attribute by any text in any field', () => {
    const hostile = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '<script>alert(1)</script>',
        '"><img src=x onerror=alert(1)>',
        "'><svg onload=alert(1)>",
        '[x](javascript:alert(1))',
        '[x](https://a.example/"onmouseover="alert(1))',
        '```\n</code></pre><script>x</script>\n```',
        '*<b>bold</b>*',
      ),
    );
    fc.assert(
      fc.property(hostile, hostile, hostile, (text, title, value) => {
        const html = renderMessage({
          text,
          bot: { name: value },
          card: { title },
          slides: [
            { type: 'label', title: value, data: [{ [title]: value }] },
            { type: 'table', data: { headers: [title], rows: [{ [title]: value }] } },
            { type: 'list', data: [value] },
            { type: 'text', data: value },
            { type: 'images', data: [value] },
          ],
          buttons: [{ label: title, hint: value, action: { type: 'open.url', data: { web: value } } }],
        });
        expect(markupOf(html).filter((tag) => !ALLOWED.test(tag))).toEqual([]);
      }),
    );
  });
});
