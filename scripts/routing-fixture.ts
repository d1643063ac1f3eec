/** Rewrites tests/fixtures/default-policy-decisions.json after a deliberate change to the default policy. */
import { readFileSync, writeFileSync } from 'node:fs';
import { FIXTURE, fixtureDecisions } from '../tools/routing-fixture/policy-decisions';

const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, string>;
const { decisions, notice } = fixtureDecisions(recorded);
if (notice !== undefined) process.stdout.write(`${notice}\n`);
writeFileSync(FIXTURE, `${JSON.stringify(decisions, null, 2)}\n`);
process.stdout.write(`wrote ${Object.keys(decisions).length} decisions to ${FIXTURE}\n`);
