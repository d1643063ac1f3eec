import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';

// `import … from`, `export … from`, `import '…'` and `import('…')`, type-only ones included: a type import is
// still a dependency a reader follows, and the cycle it closes is the same
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The relative module paths a TypeScript file imports or re-exports from. */
export const importsOf = (source: string): string[] =>
  [...source.matchAll(IMPORT)]
    .map((match) => match[1] ?? match[2] ?? '')
    .filter((path) => path.startsWith('.'));

const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? tsFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );

/** Every file under `dir` (relative to `root`) and the files under it that it imports, as posix paths from root. */
export const importGraph = (root: string, dir: string): Map<string, string[]> => {
  const name = (file: string) => relative(root, file).split(/[\\/]/).join(posix.sep);
  const graph = new Map<string, string[]>();
  for (const file of tsFiles(join(root, dir))) {
    const targets = importsOf(readFileSync(file, 'utf8')).flatMap((path) => {
      const base = join(dirname(file), path);
      const found = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
      return found === undefined ? [] : [name(found)];
    });
    graph.set(name(file), targets);
  }
  return graph;
};

/** The graph's import cycles: each strongly connected set of two or more files (or a file importing itself). */
export const cyclesOf = (graph: ReadonlyMap<string, readonly string[]>): string[][] => {
  // Tarjan's algorithm
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file) ?? 0);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const members: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      members.push(member);
      if (member === file) break;
    }
    if (members.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(members.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
};
