import type { VigilEvent } from '../event/model';
import type { CiMode } from './decide';
import { subjectOf } from './subject';

const RULES = {
  thread:
    'the first event posts, later ones reply in its thread (merged, resolved and critical ones also in the channel)',
  incident:
    'the first event posts, later ones reply in its thread; when it resolves the reply also shows in the channel and the next problem opens a new thread',
  'ci-part':
    'folded into its run: a failure is named in the run’s thread (or posts the run’s card if it comes first); anything else posts nothing',
} as const;

const ciRule = (mode: CiMode): string =>
  mode === 'every'
    ? 'posts every run (route `ci: every`); a failing streak and its fix are still noted'
    : 'posts on changes: newly failing posts, failing again replies quietly, the first success after failures replies "fixed" also in the channel, a success after a success posts nothing (unchanged)';

/** What conversations make of an event, in words, for `npm run route` (which has no state to look at). */
export const describeConversation = (event: VigilEvent, ci: CiMode = 'changes'): string => {
  const subject = subjectOf(event);
  if (subject === undefined) return 'none: posts on its own';
  const rule = subject.family === 'ci' ? ciRule(ci) : RULES[subject.family];
  return `${subject.label} (${subject.key}): ${rule}`;
};
