import { MalformedBodyError } from '../../http/errors';
import { err, ok, type Result } from '../../result';
import { isRecord } from '../../util/json';

/** What a field must be for the normalizer to read it: a JSON object, an array, or a string. */
export type FieldKind = 'object' | 'array' | 'string';

const kindOf = (value: unknown): string =>
  value === undefined
    ? 'missing'
    : value === null
      ? 'null'
      : Array.isArray(value)
        ? 'an array'
        : typeof value === 'object'
          ? 'an object'
          : `a ${typeof value}`;

const fits = (value: unknown, kind: FieldKind): boolean =>
  kind === 'object' ? isRecord(value) : kind === 'array' ? Array.isArray(value) : typeof value === 'string';

const named = (kind: FieldKind) =>
  kind === 'object' ? 'an object' : kind === 'array' ? 'an array' : 'a string';

/**
 * Valid JSON of the wrong shape (`{}`, another source's payload) gets a 400 naming each field the source's
 * notification needs and what it holds instead, rather than a card of empty values. `fields` are the
 * top-level keys the normalizer reads (`data.issue` reads inside `data`); only what it cannot do without.
 */
export const requireFields = (
  payload: Record<string, unknown>,
  what: string,
  fields: Readonly<Record<string, FieldKind>>,
): Result<Record<string, unknown>, MalformedBodyError> => {
  const problems: string[] = [];
  for (const [path, kind] of Object.entries(fields)) {
    let value: unknown = payload;
    for (const key of path.split('.'))
      value = isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
    if (!fits(value, kind)) problems.push(`"${path}" (${named(kind)}) is ${kindOf(value)}`);
  }
  if (problems.length === 0) return ok(payload);
  const needs = Object.entries(fields)
    .map(([path, kind]) => `"${path}" as ${named(kind)}`)
    .join(' and ');
  return err(
    new MalformedBodyError(
      `body is JSON but not ${what}: it needs ${needs}; ${problems.join(', ')}. Check what is calling this URL`,
    ),
  );
};
