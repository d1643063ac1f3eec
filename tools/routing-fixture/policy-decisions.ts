import { join } from 'node:path';
import examples from '@octokit/webhooks-examples';
import type { Source } from '../../lib/event/model';
import type { WebhookRequest } from '../../lib/http/request';
import { DEFAULT_POLICY_PATH, readRoutingFile } from '../../lib/routing/load';
import { routeEvent } from '../../lib/routing/route';
import type { RoutingConfig } from '../../lib/routing/schema';
import { SOURCE_NAMES, SOURCES } from '../../lib/sources/registry';
import { corpus, corpusDir, hasCorpus } from '../harness/corpus';

export const FIXTURE = join(__dirname, '..', '..', 'tests', 'fixtures', 'default-policy-decisions.json');

const lower = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

/** What the default policy does with each payload's events: `kind → default` or `kind → dropped by <route>`. */
const decide = (
  config: RoutingConfig,
  source: Source,
  body: Buffer,
  headers: Record<string, string>,
): string => {
  const request: WebhookRequest = { method: 'POST', path: '/', headers: lower(headers), query: {}, body };
  const accepted = SOURCES[source].accept(request, '2026-11-23T12:00:00.000Z');
  if (!accepted.ok) return `rejected: ${accepted.error.message}`;
  if (accepted.value.events.length === 0) return `nothing to post (${accepted.value.note ?? ''})`;
  return accepted.value.events
    .map((event) => {
      const decision = routeEvent(config, event);
      return `${event.kind} → ${decision.dropped ? `dropped by ${decision.decidedBy}` : decision.destinations.map((d) => d.channel).join(', ')}`;
    })
    .join('; ');
};

export const octokitDecisions = (): Record<string, string> => {
  const config = readRoutingFile(DEFAULT_POLICY_PATH);
  return Object.fromEntries(
    examples.flatMap((entry) =>
      entry.examples.map((payload, index) => [
        `octokit ${entry.name} #${index}`,
        decide(config, 'github', Buffer.from(JSON.stringify(payload)), { 'x-github-event': entry.name }),
      ]),
    ),
  );
};

export const corpusDecisions = (dir: string = corpusDir()): Record<string, string> => {
  const config = readRoutingFile(DEFAULT_POLICY_PATH);
  const out: Record<string, string> = {};
  // each source's corpus folder bears its name (<corpus>/<name>/), as in the corpus table tests
  for (const source of SOURCE_NAMES)
    for (const [file, body, headers] of corpus(source, dir))
      out[`corpus ${source}/${file}`] = decide(config, source, body, headers);
  return out;
};

/**
 * The fixture's new contents, sorted. Without the corpus its `corpus …` entries are kept as recorded, not
 * dropped: a clone without ../shared cannot tell what they would be now, and `notice` says so.
 */
export const fixtureDecisions = (
  recorded: Record<string, string>,
  dir: string = corpusDir(),
): { decisions: Record<string, string>; notice?: string } => {
  const present = hasCorpus(dir);
  const corpusPart = present
    ? corpusDecisions(dir)
    : Object.fromEntries(Object.entries(recorded).filter(([name]) => name.startsWith('corpus ')));
  const merged = { ...octokitDecisions(), ...corpusPart };
  const decisions = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
  return present
    ? { decisions }
    : {
        decisions,
        notice: `no corpus at ${dir}: kept the ${Object.keys(corpusPart).length} recorded corpus entries`,
      };
};
