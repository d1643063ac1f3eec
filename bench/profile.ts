/**
 * Attributes a CPU profile of a readable (unminified) bundle to the source files it was built from, using the
 * `// path/to/file.ts` line esbuild writes before each module, then to the stages of the ingest path.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Which stage a source file belongs to; the first match wins. Paths are as esbuild prints them. */
const STAGES: readonly (readonly [string, RegExp])[] = [
  ['garbage collection', /^\(garbage collector\)$/],
  ['verify (HMAC, constant-time compare)', /(verify|auth|hmac)\.ts$/],
  ['parse (JSON.parse, __proto__ check)', /(parse-json|payload|well-formed)\.ts$/],
  [
    'schema check (the compiled predicates; valibot for what they refuse)',
    /valibot|event\/model\.ts$|util\/schema-check\.ts$/,
  ],
  ['envelope assembly', /event\/envelope\.ts$/],
  [
    'normalize (GitHub → event)',
    /sources\/github\/|event\/fields\.ts$|util\/(text|time|url|object|json)\.ts$/,
  ],
  [
    'route (rules, channel, owner)',
    /routing\/|destinations\.ts$|channels\.ts$|cliq\/channel-url\.ts$|util\/glob\.ts$/,
  ],
  ['serialize + dedup hash (queue message)', /queue\/(message|size|shrink)\.ts$|util\/hash\.ts$/],
  ['enqueue (SendMessageBatch request, no network)', /queue\/enqueue\.ts$|@aws-sdk|@smithy|client-sqs/],
  ['metrics (EMF lines)', /lib\/metrics\.ts$/],
  ['logging (JSON lines, the one write per invocation)', /lib\/(log|output)\.ts$/],
  ['request adapter + handler', /http\/|ingest\/|wiring\/|functions\/|secrets\.ts$|config\.ts$|result\.ts$/],
];

/** Line (0-based) → source path, from esbuild's module markers in a readable bundle. */
const sourceLines = (bundleText: string): string[] => {
  const lines = bundleText.split('\n');
  const out: string[] = [];
  let current = '(bundle runtime)';
  for (const line of lines) {
    const marker = /^\/\/ (\S+\.(?:[cm]?[jt]s|json))$/.exec(line);
    if (marker?.[1]) current = marker[1];
    out.push(current);
  }
  return out;
};

export interface Attribution {
  readonly totalMs: number;
  readonly stages: { readonly stage: string; readonly share: number }[];
  readonly files: { readonly file: string; readonly share: number }[];
  readonly functions: { readonly fn: string; readonly share: number }[];
}

const shares = (map: Map<string, number>, total: number) =>
  [...map].map(([key, us]) => ({ key, share: us / total })).sort((a, b) => b.share - a.share);

/**
 * Self time per stage, file and function, as shares of the handler's time. A sample counts when the handler is
 * on its stack (the bench's loop and the profiler's own calls do not) or when it is garbage collection, which
 * the handler's allocations cause. A native or Node-internal frame (HMAC, JSON.parse, console) counts for the
 * nearest source file that called it.
 */
export const attribute = (profile: CpuProfile, bundleFile: string): Attribution => {
  const lines = sourceLines(readFileSync(bundleFile, 'utf8'));
  const bundleName = bundleFile.split('/').pop() ?? '\0';
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  for (const [i, id] of profile.samples.entries())
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const sourceOf = (id: number): string | undefined => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      const file = frame?.url.endsWith(bundleName) ? lines[frame.lineNumber] : undefined;
      if (file !== undefined) return file;
    }
    return undefined;
  };
  const files = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    const file = frame.functionName === '(garbage collector)' ? '(garbage collector)' : sourceOf(id);
    if (file === undefined) continue;
    total += us;
    files.set(file, (files.get(file) ?? 0) + us);
    const where = frame.url.endsWith(bundleName) ? '' : ` [${frame.url.replace(/^node:/, '') || 'native'}]`;
    const fn = `${frame.functionName || '(anonymous)'}${where} in ${file.split('/').slice(-2).join('/')}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const stages = new Map<string, number>();
  for (const [file, us] of files) {
    const stage = STAGES.find(([, pattern]) => pattern.test(file))?.[0] ?? `other: ${file}`;
    stages.set(stage, (stages.get(stage) ?? 0) + us);
  }
  return {
    totalMs: total / 1000,
    stages: shares(stages, total).map(({ key, share }) => ({ stage: key, share })),
    files: shares(files, total).map(({ key, share }) => ({ file: key, share })),
    functions: shares(functions, total).map(({ key, share }) => ({ fn: key, share })),
  };
};
