import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The corpus: real payloads the maintainers keep beside the repository (../shared/corpus/<source>/), or the
 * folder VIGIL_CORPUS_DIR names. Every test and tool reads it through this module only, so that a clone
 * without it skips those tests instead of failing (scripts/check-corpus-access.mjs holds CI to that).
 */
export const corpusDir = (): string =>
  process.env.VIGIL_CORPUS_DIR ?? join(__dirname, '..', '..', '..', 'shared', 'corpus');

export const hasCorpus = (dir: string = corpusDir()): boolean => existsSync(dir);

/** The name a skipped test carries when the corpus is absent: the one-line notice in the test report. */
export const NO_CORPUS = '(skipped: no corpus at ../shared/corpus or VIGIL_CORPUS_DIR)';

/** A source's corpus as [file, bytes, headers]; empty when the corpus is absent. */
export const corpus = (
  source: string,
  dir: string = corpusDir(),
): [string, Buffer, Record<string, string>][] => {
  const folder = join(dir, source);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json') && !file.endsWith('.headers.json'))
    .map((file) => {
      const headersFile = join(folder, file.replace(/\.json$/, '.headers.json'));
      const headers = existsSync(headersFile)
        ? (JSON.parse(readFileSync(headersFile, 'utf8')) as Record<string, string>)
        : {};
      return [file, readFileSync(join(folder, file)), headers];
    });
};

/** One corpus file's bytes; undefined when the corpus is absent. */
export const corpusFile = (source: string, file: string, dir: string = corpusDir()): Buffer | undefined => {
  const path = join(dir, source, file);
  return existsSync(path) ? readFileSync(path) : undefined;
};
