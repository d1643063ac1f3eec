/** Rewrites tests/fixtures/default-policy-decisions.json after a deliberate change to the default policy. */
import { writeFileSync } from 'node:fs';
import { corpusDecisions, FIXTURE, octokitDecisions } from '../tools/routing-fixture/policy-decisions';

const decisions = { ...octokitDecisions(), ...corpusDecisions() };
const sorted = Object.fromEntries(Object.entries(decisions).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(FIXTURE, `${JSON.stringify(sorted, null, 2)}\n`);
process.stdout.write(`wrote ${Object.keys(sorted).length} decisions to ${FIXTURE}\n`);
