import { join } from 'node:path';
import { build } from 'esbuild';

/** The console's browser code, bundled from TypeScript into memory: nothing is fetched from elsewhere. */
export const bundleBrowserCode = async (): Promise<string> => {
  const result = await build({
    entryPoints: [join(__dirname, 'browser', 'main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
};
