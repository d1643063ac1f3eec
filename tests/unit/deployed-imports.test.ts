import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { SOURCE_NAMES } from '../../lib/sources/registry';

const ROOT = join(__dirname, '..', '..');
const FUNCTIONS = readdirSync(join(ROOT, 'functions'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.replace(/\.ts$/, ''));

/**
 * The repository files a function's bundle is built from, as esbuild resolves them with the define
 * esbuild.config.cjs sets for every deployed bundle (the routing file is baked in, its reader left out).
 */
const reached = async (fn: string): Promise<{ files: string[]; packages: string[] }> => {
  const result = await build({
    entryPoints: [join(ROOT, 'functions', `${fn}.ts`)],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    packages: 'external',
    logLevel: 'silent',
    define: { 'process.env.VIGIL_ROUTING_BAKED': '"true"' },
  });
  const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports);
  return {
    files: Object.keys(result.metafile.inputs).filter((file) => !file.startsWith('node_modules/')),
    packages: [...new Set(imports.filter((entry) => entry.external).map((entry) => entry.path))],
  };
};

describe('the code a Lambda runs', () => {
  let graphs: Record<string, string[]>;
  let packages: Record<string, string[]>;
  beforeAll(async () => {
    const built = await Promise.all(FUNCTIONS.map(async (fn) => [fn, await reached(fn)] as const));
    graphs = Object.fromEntries(built.map(([fn, reach]) => [fn, reach.files]));
    packages = Object.fromEntries(built.map(([fn, reach]) => [fn, reach.packages]));
  });

  it('loads no Powertools package: the FIFO batch, the secret cache and the logs are the project’s own', () => {
    const powertools = FUNCTIONS.map((fn) => ({
      fn,
      powertools: (packages[fn] ?? []).filter((path) => path.startsWith('@aws-lambda-powertools/')),
    }));
    expect(powertools).toEqual(FUNCTIONS.map((fn) => ({ fn, powertools: [] })));
    expect(packages.sender).toContain('@aws-sdk/client-secrets-manager');
  });

  it('has a handler for every source and for the sender, the tick, health and GitHub redelivery', () => {
    expect(FUNCTIONS.sort()).toEqual(
      [...SOURCE_NAMES, 'github-redeliver', 'health', 'sender', 'tick'].sort(),
    );
  });

  it('gives the redelivery job GitHub’s deliveries API and no ingest, sender or other source', () => {
    const files = graphs['github-redeliver'] ?? [];
    expect(files).toContain('lib/sources/github/redeliver/run.ts');
    expect(
      files.filter(
        (file) =>
          /^lib\/(sender|ingest|outbox)\//.test(file) ||
          /^lib\/sources\/(registry|events)\.ts$/.test(file) ||
          (/^lib\/sources\//.test(file) && !file.startsWith('lib/sources/github/redeliver/')),
      ),
    ).toEqual([]);
  });

  it('never imports the tooling (local stack, console, DLQ and route tools, forwarder), tests or scripts', () => {
    for (const fn of FUNCTIONS) {
      expect({
        fn,
        tooling: graphs[fn]?.filter((file) => /^(tools|tests|scripts|bench)\//.test(file)),
      }).toEqual({ fn, tooling: [] });
    }
  });

  it.each(SOURCE_NAMES.map((source) => [source]))(
    'bundles only its own source in the %s function (no other source folder, no registry)',
    (source) => {
      const foreign = (graphs[source] ?? []).filter(
        (file) =>
          /^lib\/sources\/(registry|events)\.ts$/.test(file) ||
          (/^lib\/sources\/[^/]+\//.test(file) &&
            !file.startsWith(`lib/sources/${source}/`) &&
            !file.startsWith('lib/sources/shared/')),
      );
      expect(foreign).toEqual([]);
      expect(graphs[source]).toContain(`lib/sources/${source}/adapter.ts`);
    },
  );

  it('gives the sender every formatter, schema and subject rule but no adapter, normalizer, verifier or sample', () => {
    const sender = graphs.sender ?? [];
    for (const source of SOURCE_NAMES) {
      for (const file of ['events', 'facts', 'format', 'subject']) {
        expect(sender).toContain(`lib/sources/${source}/${file}.ts`);
      }
    }
    expect(
      sender.filter((file) =>
        /^lib\/sources\/[^/]+\/(adapter|normalize[^/]*|verify|samples)\.ts$/.test(file),
      ),
    ).toEqual([]);
  });
});
