import { join } from 'node:path';
import { cyclesOf, importGraph, importsOf } from '../helpers/import-graph';

const ROOT = join(__dirname, '..', '..');
const graph = importGraph(ROOT, 'lib');
const within = (file: string, dirs: readonly string[]) => dirs.some((dir) => file.startsWith(`${dir}/`));

describe('the import graph of lib/', () => {
  it('has no cycle through the event model, the sources or conversations (type imports count)', () => {
    const dirs = ['lib/event', 'lib/sources', 'lib/conversation'];
    expect(cyclesOf(graph).filter((cycle) => cycle.some((file) => within(file, dirs)))).toEqual([]);
  });

  it('lets lib/event take from lib/sources only each source’s schema (its facts.ts)', () => {
    const taken = [...graph]
      .filter(([file]) => within(file, ['lib/event']))
      .flatMap(([, targets]) => targets.filter((target) => within(target, ['lib/sources'])));
    expect(taken.length).toBeGreaterThan(0);
    expect(taken.filter((target) => !/^lib\/sources\/[a-z0-9-]+\/facts\.ts$/.test(target))).toEqual([]);
  });
});

describe('the import walker', () => {
  it('reads value, type-only, multi-line, re-export, side-effect and dynamic imports', () => {
    const source = [
      "import * as v from 'valibot';",
      "import type { VigilEvent } from '../event/model';",
      'import {',
      '  a,',
      '  type B,',
      "} from './a';",
      "export { c } from './c';",
      "export * from './d';",
      "import './e';",
      "const f = await import('./f');",
    ].join('\n');
    expect(importsOf(source)).toEqual(['../event/model', './a', './c', './d', './e', './f']);
  });

  it('finds a cycle of two files and one of a file importing itself, and none in a chain', () => {
    const cycles = cyclesOf(
      new Map([
        ['a.ts', ['b.ts']],
        ['b.ts', ['a.ts', 'c.ts']],
        ['c.ts', ['d.ts']],
        ['d.ts', []],
        ['e.ts', ['e.ts']],
      ]),
    );
    expect(cycles).toEqual([['a.ts', 'b.ts'], ['e.ts']]);
  });
});
