import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What one run of `docker events` does: check its --since, print lines, then end or keep waiting. */
export interface FakeDockerRun {
  readonly expectSince?: string;
  readonly lines: readonly string[];
  readonly end: 'exit' | 'wait';
}

// Runs as `docker` itself: records its arguments, follows the plan for this run, and after the last planned
// run waits like a quiet `docker events` until it is killed.
const SCRIPT = `#!${process.execPath}
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
fs.appendFileSync(path.join(__dirname, 'runs.jsonl'), JSON.stringify(args) + '\\n');
const run = fs.readFileSync(path.join(__dirname, 'runs.jsonl'), 'utf8').trim().split('\\n').length;
const step = JSON.parse(fs.readFileSync(path.join(__dirname, 'plan.json'), 'utf8'))[run - 1];
const since = args.includes('--since') ? args[args.indexOf('--since') + 1] : undefined;
if (step === undefined) {
  setInterval(() => {}, 60000);
} else if (step.expectSince !== undefined && since !== step.expectSince) {
  process.stderr.write('fake docker: expected --since ' + step.expectSince + ', got ' + since + '\\n');
  process.exit(1);
} else {
  process.stdout.write(step.lines.map((line) => line + '\\n').join(''));
  fs.writeFileSync(path.join(__dirname, 'printed-' + run), '');
  if (step.end === 'wait') setInterval(() => {}, 60000);
}
`;

/** A directory holding an executable `docker` that plays `plan`; put it first on PATH. */
export const fakeDocker = (plan: readonly FakeDockerRun[]) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-fake-docker-'));
  writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
  writeFileSync(join(dir, 'docker'), SCRIPT);
  chmodSync(join(dir, 'docker'), 0o755);
  return {
    dir,
    /** The arguments of each run so far. */
    runs: (): string[][] =>
      existsSync(join(dir, 'runs.jsonl'))
        ? readFileSync(join(dir, 'runs.jsonl'), 'utf8')
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line) as string[])
        : [],
    /** Whether run `n` (from 1) has printed its lines. */
    printed: (n: number) => existsSync(join(dir, `printed-${n}`)),
  };
};
