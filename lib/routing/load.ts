import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../config';
import type { RoutingConfig } from './schema';

/** Set by the bundler (esbuild.config.cjs): the validated routing file, as JSON, baked into each function. */
declare const __VIGIL_ROUTING__: string | undefined;

const ROOT = join(__dirname, '..', '..');
export const DEFAULT_POLICY_PATH = join(ROOT, 'config', 'default-policy.yaml');
export const CONFIG_FILE = 'vigil.config.yaml';

type ReadFile = (path: string) => RoutingConfig;
let readFile: ReadFile;
// A top-level branch on a value the bundler defines: in a deployed bundle the routing is baked in, so the
// file reader and its YAML parser are left out of the bundle altogether.
if (process.env.VIGIL_ROUTING_BAKED === 'true') {
  readFile = () => {
    throw new ConfigError('this bundle carries its routing file and reads none from disk');
  };
} else {
  readFile = (path) => (require('./read-file') as typeof import('./read-file')).readRoutingFile(path);
}

export interface LoadedRouting {
  readonly config: RoutingConfig;
  /** Where it came from: a file path, or `bundled`. */
  readonly origin: string;
}

/** The routing file in use: VIGIL_CONFIG, else vigil.config.yaml at the repository root, else the default policy. */
export const routingFilePath = (env: Readonly<Record<string, string | undefined>>): string => {
  if (env.VIGIL_CONFIG) {
    const path = resolve(env.VIGIL_CONFIG);
    if (!existsSync(path)) throw new ConfigError(`VIGIL_CONFIG names ${path}, which does not exist`);
    return path;
  }
  const path = join(ROOT, CONFIG_FILE);
  return existsSync(path) ? path : DEFAULT_POLICY_PATH;
};

/** Reads and validates a routing file; an invalid one throws with every problem's file, line and field. */
export const readRoutingFile = (path: string): RoutingConfig => readFile(path);

export const loadRouting = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): LoadedRouting => {
  if (typeof __VIGIL_ROUTING__ === 'string')
    return { config: JSON.parse(__VIGIL_ROUTING__) as RoutingConfig, origin: 'bundled' };
  const path = routingFilePath(env);
  return { config: readFile(path), origin: path };
};
