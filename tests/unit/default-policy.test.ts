import { readFileSync } from 'node:fs';
import { NO_CORPUS } from '../../tools/harness/corpus';
import { corpusDecisions, FIXTURE, octokitDecisions } from '../../tools/routing-fixture/policy-decisions';

/**
 * The default policy's decision for every @octokit/webhooks-examples payload and every corpus payload, as
 * recorded in tests/fixtures/default-policy-decisions.json. A change to the policy or to a normalizer that
 * changes what reaches a channel shows up here as a diff to review (`npm run fixtures` rewrites the file).
 */
const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, string>;

describe('the default routing policy', () => {
  const octokit = Object.entries(octokitDecisions());
  it.each(octokit)('%s: %s', (name, decision) => {
    expect(decision).toBe(recorded[name]);
  });

  const corpus = Object.entries(corpusDecisions());
  (corpus.length > 0 ? it.each(corpus) : it.skip.each([[NO_CORPUS, '']]))('%s: %s', (name, decision) => {
    expect(decision).toBe(recorded[name]);
  });

  it('drops the noise it promises to drop, and keeps what a team acts on', () => {
    const all = Object.values(recorded).join('\n');
    expect(all).toMatch(/github\.workflow_job\.queued → dropped by queued and running CI/);
    expect(all).toMatch(/github\.check_run\.created → dropped by queued and running CI/);
    expect(all).toMatch(/github\.star\.created → dropped by stars, forks and watchers/);
    expect(all).toMatch(/github\.workflow_job\.completed → default/);
    expect(all).not.toMatch(/rejected:/);
  });
});
