import * as v from 'valibot';
import { EVENT_SCHEMAS } from '../sources/schemas';

/**
 * Vigil's normalized event, version 1: the one schema ingest produces and the sender re-validates.
 * Each source contributes one variant (the shared envelope plus its typed facts), listed in sources/schemas.ts.
 */
export const VigilEvent = v.variant('source', EVENT_SCHEMAS);
export type VigilEvent = v.InferOutput<typeof VigilEvent>;
export type Source = VigilEvent['source'];
