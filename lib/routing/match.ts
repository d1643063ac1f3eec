import type { Severity } from '../event/fields';
import type { VigilEvent } from '../event/model';
import { globRegExp } from '../util/glob';
import type { Match } from './schema';
import { SEVERITY_AT_LEAST } from './severity';

const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2, critical: 3 };
const compiled = new Map<string, RegExp>();

/** `*` any run of characters, `?` one character; case-insensitive (repository and branch names rarely differ by case). */
export const globMatches = (pattern: string, value: string): boolean => {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    regex = globRegExp(pattern, { ignoreCase: true });
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex.test(value);
};

const list = <T>(value: T | readonly T[]): readonly T[] => (Array.isArray(value) ? value : [value as T]);
const anyGlob = (patterns: string | readonly string[], value: string | undefined): boolean =>
  value !== undefined && list(patterns).some((pattern) => globMatches(pattern, value));

const severityMatches = (rule: NonNullable<Match['severity']>, severity: Severity): boolean => {
  if (typeof rule === 'string') {
    const threshold = SEVERITY_AT_LEAST.exec(rule)?.[1] as Severity | undefined;
    if (threshold !== undefined) return RANK[severity] >= RANK[threshold];
  }
  return list(rule as Severity | readonly Severity[]).includes(severity);
};

/** Whether every condition of a route's `match` holds for the event (an empty match matches everything). */
export const matches = (match: Match, event: VigilEvent): boolean => {
  if (match.source !== undefined && !list(match.source).includes(event.source)) return false;
  if (match.kind !== undefined && !anyGlob(match.kind, event.kind)) return false;
  for (const subject of [match.repository, match.project, match.service]) {
    if (subject !== undefined && !anyGlob(subject, event.subject.name)) return false;
  }
  if (match.branch !== undefined && !anyGlob(match.branch, event.branch)) return false;
  if (match.default_branch !== undefined) {
    if (event.branch === undefined || event.defaultBranch === undefined) return false;
    if ((event.branch === event.defaultBranch) !== match.default_branch) return false;
  }
  if (match.environment !== undefined && !anyGlob(match.environment, event.environment)) return false;
  if (match.actor !== undefined && !anyGlob(match.actor, event.actor?.name)) return false;
  if (match.bots !== undefined && (event.actor?.bot ?? false) !== match.bots) return false;
  if (match.outcome !== undefined && !list(match.outcome).includes(event.outcome)) return false;
  if (match.severity !== undefined && !severityMatches(match.severity, event.severity)) return false;
  if (
    match.labels !== undefined &&
    !list(match.labels).some((pattern) => event.labels.some((label) => globMatches(pattern, label)))
  ) {
    return false;
  }
  return true;
};
