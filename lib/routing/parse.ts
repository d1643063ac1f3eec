import * as v from 'valibot';
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { DEFAULT_CHANNEL } from '../channels';
import { err, ok, type Result } from '../result';
import { RoutingConfig } from './schema';
import { timeReferenceProblems } from './time-references';

export interface ConfigProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Where in the file, as a path: `routes[2].match.severity`. */
  readonly field: string;
  readonly message: string;
}

export const describeProblem = (problem: ConfigProblem): string =>
  `${problem.file}:${problem.line}:${problem.column}: ${problem.field === '' ? '' : `${problem.field} `}${problem.message}`;

type PathKey = string | number;
const fieldOf = (path: readonly PathKey[]): string =>
  path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out === '' ? key : `${out}.${key}`),
    '',
  );

/** The YAML node at a path, to find the line a problem is on (the nearest existing parent when it is missing). */
const nodeAt = (root: Node | null, path: readonly PathKey[]): Node | null => {
  let node = root;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      if (pair === undefined) return node;
      node = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node) && typeof key === 'number') {
      const next = node.items[key] as Node | undefined;
      if (next === undefined) return node;
      node = next;
    } else {
      return node;
    }
  }
  return node;
};

const pathOf = (issue: v.BaseIssue<unknown>): PathKey[] =>
  (issue.path ?? []).map((item) => item.key as PathKey);

/**
 * One readable problem per issue: a union names its own message when it has one, else its most specific
 * alternative's; an unknown key is reported on its parent, naming the key.
 */
const explain = (
  issue: v.BaseIssue<unknown>,
  prefix: readonly PathKey[] = [],
): { path: PathKey[]; message: string } => {
  const own = pathOf(issue);
  // a union's alternatives report paths relative to the union
  const path =
    own.length >= prefix.length && prefix.every((key, index) => own[index] === key)
      ? own
      : [...prefix, ...own];
  if (issue.type === 'union' && issue.issues !== undefined && issue.issues.length > 0) {
    if (!issue.message.startsWith('Invalid type')) return { path, message: issue.message };
    const deepest = [...issue.issues].sort((a, b) => pathOf(b).length - pathOf(a).length)[0];
    return deepest === undefined ? { path, message: issue.message } : explain(deepest, path);
  }
  if (issue.expected === 'never' && path.length > 0) {
    const key = path[path.length - 1];
    return {
      path: path.slice(0, -1),
      message: issue.message.replace(
        /has an unknown (top-level )?key/,
        (words) => `${words} "${String(key)}"`,
      ),
    };
  }
  // a required key that is not there (strict objects otherwise give their unknown-key message for it too)
  if (issue.type === 'strict_object' && issue.received === 'undefined')
    return { path, message: 'is missing' };
  if (issue.message.startsWith('Invalid type: Expected'))
    return { path, message: `is missing or has the wrong type (${issue.message})` };
  return { path, message: issue.message };
};

/** Parses and validates a routing file; every problem names the file, line, column and field. */
export const parseRoutingConfig = (text: string, file: string): Result<RoutingConfig, ConfigProblem[]> => {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (path: readonly PathKey[], message: string): ConfigProblem => {
    const node = nodeAt(document.contents, path);
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, field: fieldOf(path), message };
  };
  if (document.errors.length > 0) {
    return err(
      document.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return {
          file,
          line,
          column: col,
          field: '',
          message: `is not valid YAML: ${error.message.split('\n')[0]}`,
        };
      }),
    );
  }
  const raw = document.toJS() as unknown;
  const parsed = v.safeParse(RoutingConfig, raw ?? {});
  if (!parsed.success) {
    return err(
      parsed.issues.map((issue) => {
        const { path, message } = explain(issue);
        return at(path, message);
      }),
    );
  }
  const config = parsed.output;
  const known = new Set([DEFAULT_CHANNEL, ...Object.keys(config.channels)]);
  const problems: ConfigProblem[] = [];
  if (config.default !== 'drop' && !known.has(config.default)) {
    problems.push(at(['default'], `names channel "${config.default}", which is not under channels`));
  }
  config.routes.forEach((route, index) => {
    const targets = route.to === undefined ? [] : [route.to].flat();
    targets.forEach((channel, position) => {
      if (!known.has(channel))
        problems.push(
          at(
            ['routes', index, 'to', ...(Array.isArray(route.to) ? [position] : [])],
            `names channel "${channel}", which is not under channels`,
          ),
        );
    });
  });
  const names = new Map<string, number>();
  config.routes.forEach((route, index) => {
    if (names.has(route.name))
      problems.push(
        at(
          ['routes', index, 'name'],
          `"${route.name}" is used by routes[${names.get(route.name)}] too: route names must be unique`,
        ),
      );
    names.set(route.name, index);
  });
  for (const { path, message } of timeReferenceProblems(config)) problems.push(at(path, message));
  return problems.length > 0 ? err(problems) : ok(config);
};
