import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname } from 'node:path';

type LocalAwsSqs = typeof import('local-aws-sqs');

interface Correction {
  /** What SQS does, and where AWS documents it. */
  readonly why: string;
  readonly buggy: string;
  readonly fixed: string;
}

/**
 * Where local-aws-sqs 2.0.2 departs from SQS in ways Vigil relies on, each corrected in its source text.
 * If the library changes so a correction no longer applies, loading fails loudly (and
 * tests/integration/local-sqs.test.ts says why) rather than running with the wrong behaviour.
 */
const CORRECTIONS: readonly Correction[] = [
  {
    why:
      'ChangeMessageVisibility is not a receive: its changeVisibility reuses the receive path, which ' +
      'increments ApproximateReceiveCount, so retried messages would be dead-lettered after half their receives',
    buggy: 'if(!r)return!1;let n=Number(e);return l(this,D,Wt).call(this,r,n,!0),!0}',
    fixed:
      'if(!r)return!1;let n=Number(e);return l(this,D,Wt).call(this,r,n,!0),' +
      'r.record.attributes.ApproximateReceiveCount=String(Number(r.record.attributes.ApproximateReceiveCount)-1),!0}',
  },
  {
    why:
      'a FIFO queue returns no message of a group while another message of that group is in flight ' +
      '(Amazon SQS Developer Guide, "FIFO queue delivery logic": you cannot receive more messages of the ' +
      'same message group ID until the received ones are deleted or become visible again). A single ' +
      'receive may still return several messages of one group, in order',
    buggy: 'c=setInterval(()=>{d++;for(let y of S(this,E))if(!y.delayed){if(y.visible){',
    fixed:
      'c=setInterval(()=>{d++;let vigilHeld=new Set();if(this.FifoQueue)for(let vigilAll of S(this,E))' +
      '!vigilAll.visible&&!r.some(vigilTaken=>vigilTaken.record.MessageId==vigilAll.record.MessageId)&&' +
      'vigilHeld.add(vigilAll.record.attributes.MessageGroupId);' +
      'for(let y of S(this,E))if(!y.delayed){if(y.visible&&!vigilHeld.has(y.record.attributes.MessageGroupId)){',
  },
  {
    why:
      'a long poll returns as soon as any message is available, not only once MaxNumberOfMessages are there ' +
      '(Amazon SQS Developer Guide, "Amazon SQS short and long polling": long polling returns messages as ' +
      'soon as they become available); the library held a lone message until WaitTimeSeconds ran out',
    buggy: 'if(r.length==e){clearInterval(c),clearTimeout(n),o();break}}},10)',
    fixed:
      'if(r.length==e){clearInterval(c),clearTimeout(n),o();break}}r.length>0&&(clearInterval(c),clearTimeout(n),o())},10)',
  },
];

let loaded: LocalAwsSqs | undefined;

export const loadLocalAwsSqs = (): LocalAwsSqs => {
  if (loaded) return loaded;
  const path = require.resolve('local-aws-sqs');
  let source = readFileSync(path, 'utf8');
  for (const correction of CORRECTIONS) {
    if (!source.includes(correction.buggy)) {
      throw new Error(
        `local-aws-sqs changed: re-check that it still needs this correction (see tools/local/local-aws-sqs.ts): ${correction.why}`,
      );
    }
    source = source.replace(correction.buggy, correction.fixed);
  }
  const patched = new Module(path, module);
  patched.filename = path;
  patched.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(
    dirname(path),
  );
  (patched as unknown as { _compile(code: string, file: string): void })._compile(source, path);
  loaded = patched.exports as LocalAwsSqs;
  return loaded;
};
