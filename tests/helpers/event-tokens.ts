import type { CliqMessage } from '../../lib/cliq/message';

/**
 * The event tokens (`evt0007`, put in each test event's title) a message carries in its text, card and
 * slides, leaving out the follow-up line: it names an earlier event, which this message does not carry.
 */
export const tokensOf = ({ text, ...rest }: CliqMessage): Set<string> =>
  new Set(
    `${text
      .split('\n')
      .filter((line) => !line.startsWith('↪'))
      .join('\n')} ${JSON.stringify(rest)}`.match(/evt\d{4}/g) ?? [],
  );
