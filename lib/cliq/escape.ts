const ZERO_WIDTH_SPACE = '\u200B';
const MARKUP = /[*_~`[\]{}#]/g;

/**
 * Neutralizes Cliq markup and mentions in user-controlled text (commit messages, titles): a zero-width space
 * after each markup character breaks `{@all}`, `*bold*`, `[label](url)` and `#Heading` while the text reads
 * the same. Line breaks are kept; use `escapeInline` where one line is wanted.
 */
export const escapeCliq = (text: string): string =>
  text.replace(MARKUP, (char) => `${char}${ZERO_WIDTH_SPACE}`);

export const escapeInline = (text: string): string => escapeCliq(text.replace(/\s+/g, ' ').trim());

/** A link whose label is escaped and whose URL cannot close the markup early. */
export const link = (label: string, url: string): string =>
  `[${escapeInline(label).replace(/[[\]]/g, '')}](${url.replace(/[()\s]/g, encodeURIComponent)})`;
