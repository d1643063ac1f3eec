/**
 * Bundles as `serverless package` does: esbuild with the options esbuild.config.cjs gives serverless-esbuild
 * (the routing file validated and baked in), from the handler files in functions/, so the bench follows
 * whatever the functions import.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildOptions, build, buildSync, type Plugin } from 'esbuild';

export const ROOT = join(__dirname, '..');
/** Where the bench writes its bundles (ignored by git). */
export const OUT = join(ROOT, '.bench');

/** The esbuild options serverless-esbuild receives, less its own packaging keys. */
const serverlessOptions = (): BuildOptions => {
  const factory = require(join(ROOT, 'esbuild.config.cjs')) as () => Record<string, unknown>;
  const { exclude: _exclude, packager: _packager, sourcemap: _sourcemap, ...options } = factory();
  return options as BuildOptions;
};

/**
 * Replaces the SQS client's network call for SendMessageBatch with SQS's answer for a fully accepted batch,
 * so the ingest path can be timed without a queue; every other command and all request building stay real.
 */
const queueWithoutNetwork: Plugin = {
  name: 'queue-without-network',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/client-sqs$/ }, (args) =>
      args.namespace === 'bench' ? undefined : { path: 'client-sqs', namespace: 'bench' },
    );
    build.onLoad({ filter: /.*/, namespace: 'bench' }, () => ({
      resolveDir: ROOT,
      loader: 'js',
      contents: `
        import * as real from '@aws-sdk/client-sqs';
        export * from '@aws-sdk/client-sqs';
        export class SQSClient extends real.SQSClient {
          send(command, ...rest) {
            if (!(command instanceof real.SendMessageBatchCommand)) return super.send(command, ...rest);
            const entries = command.input.Entries ?? [];
            return Promise.resolve({ Successful: entries.map((e) => ({ Id: e.Id, MessageId: e.Id, MD5OfMessageBody: '' })), Failed: [] });
          }
        }`,
    }));
  },
};

export interface BundleOptions {
  /** Answer SendMessageBatch in process (ingest timing); the size and init bundles keep the real client. */
  readonly noQueueNetwork?: boolean;
  /** Readable output with esbuild's `// path` markers, for attributing a CPU profile to source files. */
  readonly readable?: boolean;
}

/** Bundles `entry` to `outfile` and returns its size in bytes. */
export const bundle = async (
  entry: string,
  outfile: string,
  options: BundleOptions = {},
): Promise<number> => {
  await build({
    ...serverlessOptions(),
    entryPoints: [entry],
    outfile,
    format: 'cjs',
    logLevel: 'silent',
    ...(options.readable ? { minify: false } : {}),
    plugins: options.noQueueNetwork ? [queueWithoutNetwork] : [],
  });
  return statSync(outfile).size;
};

/** @octokit/webhooks is ESM only: one CJS bundle of it lets the plain-node worker require it. */
export const bundlePeer = (outfile: string): void => {
  buildSync({
    stdin: { contents: "export { Webhooks } from '@octokit/webhooks';", resolveDir: ROOT, loader: 'js' },
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'silent',
  });
};

/** A bench script bundled for plain `node`, so no require hook sits under what it times. */
export const bundleScript = (entry: string, outfile: string): void => {
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['esbuild'],
    logLevel: 'silent',
  });
};
