/**
 * Cliq's text markup as HTML (specs/zoho-cliq.md, Text markup): `*bold*`, `_italic_`, `~strike~`, `` `code` ``,
 * `[label](url)`, `{@mention}`, `#Heading`, `###Small heading`, `---`, and ``` blocks. Everything else is
 * text: every character is HTML-escaped, so no input can add an element or an attribute. A markup character
 * followed by a zero-width space is what Vigil's escaping leaves in user text (lib/cliq/escape.ts) and, as in
 * Cliq, it stays literal.
 */

const ZWSP = '\u200B';

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or attribute value safe inside HTML. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? '');

/** Only web and mail links are followed; anything else (javascript:, data:) is shown as text. */
export const safeUrl = (url: string): string | undefined =>
  /^(https?:\/\/|mailto:)[^\s"'<>]+$/i.test(url) ? url : undefined;

export const externalLink = (url: string, label: string): string =>
  `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${label}</a>`;

const DELIMITED = (mark: string) =>
  `(?<![\\w${mark}])\\${mark}(?![\\s${ZWSP}\\${mark}])([^\\n${mark}]*?[^\\s${mark}])\\${mark}(?![\\w${ZWSP}])`;

const INLINE = new RegExp(
  [
    `\`(?!${ZWSP})([^\`\\n]+)\``, // 1 code
    `\\[(?!${ZWSP})([^\\]\\n]+)\\]\\(([^()\\s]+)\\)`, // 2 label, 3 url
    `\\{@([^{}\\s${ZWSP}]+)\\}`, // 4 mention
    DELIMITED('*'), // 5 bold
    DELIMITED('_'), // 6 italic
    DELIMITED('~'), // 7 strike
  ].join('|'),
  'g',
);

const plain = (text: string): string => escapeHtml(text.replaceAll(ZWSP, ''));

/** One line of inline markup. */
export const renderInline = (text: string): string => {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const [whole, code, label, url, mention, bold, italic, strike] = match;
    html += plain(text.slice(last, match.index));
    last = match.index + whole.length;
    if (code !== undefined) html += `<code>${plain(code)}</code>`;
    else if (label !== undefined && url !== undefined) {
      const target = safeUrl(url);
      html += target === undefined ? plain(whole) : externalLink(target, renderInline(label));
    } else if (mention !== undefined) {
      const name = mention === 'all' ? 'all' : mention;
      html += `<span class="cliq-mention">@${plain(name)}</span>`;
    } else if (bold !== undefined) html += `<strong>${renderInline(bold)}</strong>`;
    else if (italic !== undefined) html += `<em>${renderInline(italic)}</em>`;
    else if (strike !== undefined) html += `<s>${renderInline(strike)}</s>`;
  }
  return html + plain(text.slice(last));
};

const FENCE = '```';

/** A whole text: lines, headings, rules and code blocks, each line's inline markup. */
export const renderMarkup = (text: string): string => {
  const blocks: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) blocks.push(`<p>${paragraph.join('<br>')}</p>`);
    paragraph = [];
  };
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (line.startsWith(FENCE)) {
      // a block runs to the next fence, or to the end of the text when none closes it
      const rest = line.slice(FENCE.length);
      const inline = rest.indexOf(FENCE);
      flush();
      if (inline >= 0) {
        blocks.push(`<pre><code>${plain(rest.slice(0, inline))}</code></pre>`);
        continue;
      }
      const body: string[] = rest === '' ? [] : [rest];
      index += 1;
      while (index < lines.length && !(lines[index] ?? '').trimEnd().endsWith(FENCE)) {
        body.push(lines[index] ?? '');
        index += 1;
      }
      const closing = lines[index];
      if (closing !== undefined) body.push(closing.trimEnd().slice(0, -FENCE.length));
      blocks.push(`<pre><code>${plain(body.join('\n').replace(/\n$/, ''))}</code></pre>`);
      continue;
    }
    const small = /^###(?!#)(?!\u200B)\s*(.+)$/.exec(line);
    const heading = /^#{1,2}(?!#)(?!\u200B)\s*(.+)$/.exec(line);
    if (small?.[1] !== undefined) {
      flush();
      blocks.push(`<h4 class="cliq-small-heading">${renderInline(small[1])}</h4>`);
    } else if (heading?.[1] !== undefined) {
      flush();
      blocks.push(`<h3 class="cliq-heading">${renderInline(heading[1])}</h3>`);
    } else if (/^-{3,}\s*$/.test(line)) {
      flush();
      blocks.push('<hr>');
    } else if (line.trim() === '') flush();
    else paragraph.push(renderInline(line));
  }
  flush();
  return blocks.join('');
};
