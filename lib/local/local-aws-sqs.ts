import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname } from 'node:path';

type LocalAwsSqs = typeof import('local-aws-sqs');

/**
 * local-aws-sqs 2.0.2 counts a ChangeMessageVisibility as a receive (its changeVisibility reuses the receive
 * path, which increments ApproximateReceiveCount). Real SQS does not, and Vigil's retries change visibility,
 * so messages would be dead-lettered after half their receives. This loads the module with that one call
 * followed by the matching decrement. If the library changes so the fix no longer applies, loading fails
 * loudly (and tests/integration/local-sqs.test.ts says why) rather than running with wrong redrive counts.
 */
const BUGGY = 'if(!r)return!1;let n=Number(e);return l(this,D,Wt).call(this,r,n,!0),!0}';
const FIXED =
  'if(!r)return!1;let n=Number(e);return l(this,D,Wt).call(this,r,n,!0),' +
  'r.record.attributes.ApproximateReceiveCount=String(Number(r.record.attributes.ApproximateReceiveCount)-1),!0}';

let loaded: LocalAwsSqs | undefined;

export const loadLocalAwsSqs = (): LocalAwsSqs => {
  if (loaded) return loaded;
  const path = require.resolve('local-aws-sqs');
  const source = readFileSync(path, 'utf8');
  if (!source.includes(BUGGY)) {
    throw new Error(
      'local-aws-sqs changed: re-check whether ChangeMessageVisibility still counts as a receive (see lib/local/local-aws-sqs.ts)',
    );
  }
  const patched = new Module(path, module);
  patched.filename = path;
  patched.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(
    dirname(path),
  );
  (patched as unknown as { _compile(code: string, file: string): void })._compile(
    source.replace(BUGGY, FIXED),
    path,
  );
  loaded = patched.exports as LocalAwsSqs;
  return loaded;
};
