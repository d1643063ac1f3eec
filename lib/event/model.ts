import * as v from 'valibot';
import { GithubEvent } from '../sources/github/facts';

/**
 * Vigil's normalized event, version 1: the one schema ingest produces and the sender re-validates.
 * Each source contributes one variant (its envelope plus typed facts).
 */
export const VigilEvent = v.variant('source', [GithubEvent]);
export type VigilEvent = v.InferOutput<typeof VigilEvent>;
export type Source = VigilEvent['source'];
