/**
 * Vigil's normalized event. The union of every source's variant is declared with the sources, in
 * lib/sources/events.ts; this module names it for code that only handles events.
 */
export { type Source, VigilEvent } from '../sources/events';
