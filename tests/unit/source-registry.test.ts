import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { VigilEvent } from '../../lib/event/model';
import { SOURCE_EVENTS } from '../../lib/sources/events';
import { SOURCE_NAMES, SOURCES, sourceList } from '../../lib/sources/registry';

const ROOT = join(__dirname, '..', '..');

type Fn = { handler?: string; role?: string; events?: { httpApi?: { method: string; path: string } }[] };
const serverless = parse(readFileSync(join(ROOT, 'serverless.yml'), 'utf8'), { logLevel: 'error' }) as {
  functions: Record<string, Fn>;
  resources: {
    Resources: {
      IngestRole: {
        Properties: {
          Policies: { PolicyDocument: { Statement: { Action: string[]; Resource: string[] }[] } }[];
        };
      };
    };
  };
};

const ingestFunctions = Object.entries(serverless.functions)
  .filter(([, fn]) => fn.role === 'IngestRole')
  .map(([name]) => name);

describe('the registry of sources', () => {
  it('names the same sources for the sender (lib/sources/events.ts) as for ingest and tools', () => {
    expect(Object.keys(SOURCE_EVENTS)).toEqual(SOURCE_NAMES);
  });

  it('builds VigilEvent (lib/event/model.ts) from the schemas the sender and the adapters check', () => {
    expect(VigilEvent.options).toEqual(SOURCE_NAMES.map((name) => SOURCE_EVENTS[name].schema));
    for (const [index, name] of SOURCE_NAMES.entries()) {
      expect(VigilEvent.options[index]).toBe(SOURCE_EVENTS[name].schema);
    }
  });

  it('gives every source the route /webhooks/<name> and the event schema of its own variant', () => {
    for (const source of sourceList()) {
      expect(source.route).toBe(`/webhooks/${source.name}`);
      expect(source.schema).toBe(SOURCE_EVENTS[source.name].schema);
    }
  });

  it('has exactly one ingest function per source in serverless.yml, on its route and handler', () => {
    expect(ingestFunctions.sort()).toEqual([...SOURCE_NAMES].sort());
    for (const source of sourceList()) {
      const fn = serverless.functions[source.name];
      expect(fn?.handler).toBe(`functions/${source.name}.handler`);
      expect(fn?.events?.map((event) => event.httpApi?.path)).toEqual([source.route]);
      expect(existsSync(join(ROOT, 'functions', `${source.name}.ts`))).toBe(true);
    }
  });

  it("lets IngestRole write exactly the ingest functions' log groups", () => {
    const logGroups = serverless.resources.Resources.IngestRole.Properties.Policies.flatMap((policy) =>
      policy.PolicyDocument.Statement.filter((statement) => statement.Action.includes('logs:PutLogEvents')),
    ).flatMap((statement) => statement.Resource);
    const named = logGroups.map(
      (arn) => /\/aws\/lambda\/\$\{self:service\}-\$\{sls:stage\}-([a-z0-9-]+):\*$/.exec(arn)?.[1],
    );
    expect(named.sort()).toEqual([...SOURCE_NAMES].sort());
  });

  it('has samples for every source but GitHub (whose come from @octokit/webhooks-examples) in events/', () => {
    for (const source of sourceList()) {
      for (const sample of source.samples.payloads) {
        expect(existsSync(join(ROOT, 'events', source.name, `${sample.name}.json`))).toBe(true);
      }
      if (source.name !== 'github') expect(source.samples.payloads.length).toBeGreaterThan(0);
    }
  });

  // CONTRIBUTING.md's recipe names files with <name> for the new source's name: each must exist for every
  // registered source, so the recipe stays true as the code moves
  it('lists in CONTRIBUTING.md only steps the existing sources actually have', () => {
    const recipe = readFileSync(join(ROOT, 'CONTRIBUTING.md'), 'utf8');
    const section = recipe.slice(
      recipe.indexOf('## Adding a source'),
      recipe.indexOf('\n## ', recipe.indexOf('## Adding a source') + 1),
    );
    const paths = [...section.matchAll(/`([a-z./<>-]+\.(?:ts|yml|md))`/g)].map((match) => match[1] ?? '');
    expect(paths.length).toBeGreaterThanOrEqual(6);
    for (const path of paths) {
      for (const name of path.includes('<name>') ? Object.keys(SOURCES) : ['']) {
        expect({ path, exists: existsSync(join(ROOT, path.replace('<name>', name))) }).toEqual({
          path,
          exists: true,
        });
      }
    }
  });
});
