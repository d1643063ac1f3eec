import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(__dirname, '..', '..');
const FUNCTIONS = readdirSync(join(ROOT, 'functions')).filter((file) => file.endsWith('.ts'));

/** The npm packages a function's bundle imports, as esbuild resolves them for a deployed bundle. */
const packagesOf = async (file: string): Promise<string[]> => {
  const result = await build({
    entryPoints: [join(ROOT, 'functions', file)],
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
  return [...new Set(imports.filter((entry) => entry.external).map((entry) => entry.path))];
};

describe('the packages a Lambda loads', () => {
  it('include no Powertools package: the FIFO batch, the secret cache and the logs are the project’s own', async () => {
    const found = await Promise.all(
      FUNCTIONS.map(async (file) => ({
        file,
        powertools: (await packagesOf(file)).filter((path) => path.startsWith('@aws-lambda-powertools/')),
      })),
    );
    expect(found).toEqual(FUNCTIONS.map((file) => ({ file, powertools: [] })));
  });

  it('do include the Secrets Manager client the sender reads its secret with', async () => {
    expect(await packagesOf('sender.ts')).toContain('@aws-sdk/client-secrets-manager');
  });
});
