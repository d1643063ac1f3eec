import { readFileSync } from 'node:fs';
import { FIXTURE, fixtureDecisions } from '../../tools/routing-fixture/policy-decisions';

const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, string>;
const corpusEntries = (decisions: Record<string, string>) =>
  Object.entries(decisions).filter(([name]) => name.startsWith('corpus '));

describe('fixtureDecisions', () => {
  it('keeps the recorded corpus entries untouched when the corpus is absent, and says so', () => {
    const { decisions, notice } = fixtureDecisions(recorded, '/nonexistent/vigil-corpus');
    expect(corpusEntries(recorded).length).toBeGreaterThan(0);
    expect(corpusEntries(decisions)).toEqual(corpusEntries(recorded));
    expect(notice).toMatch(
      /^no corpus at \/nonexistent\/vigil-corpus: kept the \d+ recorded corpus entries$/,
    );
  });

  it('rewrites the octokit entries as the policy decides them, sorted', () => {
    const { decisions } = fixtureDecisions({}, '/nonexistent/vigil-corpus');
    const names = Object.keys(decisions);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(names.every((name) => name.startsWith('octokit '))).toBe(true);
    expect(names.length).toBeGreaterThan(300);
  });
});
