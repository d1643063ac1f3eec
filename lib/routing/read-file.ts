import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ConfigError } from '../config';
import { describeProblem, parseRoutingConfig } from './parse';
import type { RoutingConfig } from './schema';

/** Reads and validates a routing file; an invalid one throws with every problem's file, line and field. */
export const readRoutingFile = (path: string): RoutingConfig => {
  const parsed = parseRoutingConfig(readFileSync(path, 'utf8'), relative(process.cwd(), path) || path);
  if (!parsed.ok) {
    throw new ConfigError(
      `invalid routing configuration:\n${parsed.error.map((problem) => `  ${describeProblem(problem)}`).join('\n')}`,
    );
  }
  return parsed.value;
};
