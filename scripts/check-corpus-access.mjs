#!/usr/bin/env node
/**
 * Fails when a test, tool or bench reaches the corpus (../shared/corpus, kept beside the repository) other
 * than through tools/harness/corpus.ts, which skips without it: a clone without ../shared must pass
 * `npm test`. Looks for path literals naming `shared` as a folder outside the repository, `../..` walks
 * out of it, and imports of the old CORPUS constant.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const HELPER = 'tools/harness/corpus.ts';
const FOLDERS = ['tests', 'tools', 'bench', 'scripts'];
const RULES = [
  [
    /\.\.\/shared\/|['"]\.\.['"],\s*['"]\.\.['"],\s*['"]\.\.['"],\s*['"]shared['"]/,
    'reads ../shared directly',
  ],
  [/['"]shared['"],\s*['"]corpus['"]|shared\/corpus\//, 'names the corpus folder'],
  [/\bCORPUS\b/, 'uses a CORPUS path'],
];
const SELF = 'scripts/check-corpus-access.mjs';

const files = (dir) =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name === 'fixtures' ? [] : files(path);
    return /\.(ts|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });

const found = FOLDERS.flatMap(files)
  .map((path) => relative(root, join(root, path)))
  .filter((path) => path !== HELPER && path !== SELF)
  .flatMap((path) =>
    readFileSync(join(root, path), 'utf8')
      .split('\n')
      .flatMap((line, index) =>
        RULES.filter(([pattern]) => pattern.test(line) && !/^\s*(\/\/|\*|\/\*)/.test(line)).map(
          ([, why]) => `${path}:${index + 1}: ${why}; read the corpus through ${HELPER}`,
        ),
      ),
  );

if (found.length > 0) {
  process.stderr.write(`${found.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`corpus access: only through ${HELPER}\n`);
