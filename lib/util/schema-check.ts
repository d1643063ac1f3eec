import * as v from 'valibot';

/**
 * A valibot schema compiled once into plain predicates, for the hot path: `check(value)` is true only when
 * `v.safeParse(schema, value)` succeeds with an output equal to the value itself (same fields, same values).
 * Valibot builds a dataset and a fresh copy of every object it checks; the predicates allocate nothing, so an
 * event that is valid (every event a normalizer builds) costs a fraction of a parse. Anything the predicates
 * do not accept goes to valibot, which gives the verdict and the issues: the predicates may be stricter than
 * the schema (an unknown key, which valibot would strip), never looser. tests/unit/schema-check.test.ts holds
 * them to that over every source's events and mutations of them.
 */
export type Check = (value: unknown) => boolean;

/** A schema part the compiler does not model (a transform, a default, a union): the schema stays valibot's. */
class Unsupported extends Error {
  override readonly name = 'Unsupported';
}

type Schema = v.GenericSchema & {
  readonly type: string;
  readonly pipe?: readonly { readonly kind: string; readonly type: string; readonly requirement?: unknown }[];
};
type Entries = Readonly<Record<string, Schema>>;

const isOptional = (schema: Schema): boolean => schema.type === 'optional' || schema.type === 'nullish';

const compileAction = (action: {
  readonly kind: string;
  readonly type: string;
  readonly requirement?: unknown;
}): Check | undefined => {
  if (action.kind === 'metadata') return undefined;
  if (action.kind !== 'validation') throw new Unsupported(action.type);
  const requirement = action.requirement;
  switch (action.type) {
    case 'max_length':
      return (value) => (value as string).length <= (requirement as number);
    case 'min_length':
      return (value) => (value as string).length >= (requirement as number);
    case 'max_value':
      return (value) => (value as number) <= (requirement as number);
    case 'min_value':
      return (value) => (value as number) >= (requirement as number);
    case 'regex':
    case 'iso_timestamp':
      // a global or sticky regex carries state between tests: the predicate and valibot could disagree
      if ((requirement as RegExp).global || (requirement as RegExp).sticky)
        throw new Unsupported('stateful regex');
      return (value) => (requirement as RegExp).test(value as string);
    case 'integer':
    case 'url':
    case 'check':
      return (value) => (requirement as (input: unknown) => boolean)(value);
    default:
      throw new Unsupported(action.type);
  }
};

/**
 * Whether a value's JSON text is its own enumerable fields, as for what JSON.parse and object literals make:
 * valibot copies every field it reads (inherited and hidden ones too) into a plain object, and JSON.stringify
 * of anything else (a class with toJSON, say) could say something other than what was checked.
 */
const isPlainObject = (value: object): boolean => {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

const compileObject = (entries: Entries): Check => {
  const keys = Object.keys(entries);
  const known = new Set(keys);
  const checks = keys.map((key) => {
    const schema = entries[key] as Schema;
    return { key, check: compile(schema), optional: isOptional(schema) };
  });
  return (value) => {
    if (typeof value !== 'object' || value === null || !isPlainObject(value)) return false;
    const record = value as Record<string, unknown>;
    let present = 0;
    for (const { key, check, optional } of checks) {
      if (key in record) {
        if (!check(record[key])) return false;
        present++;
      } else if (!optional) return false;
    }
    // valibot would drop an unknown key (or refuse it, for a strict object): let it decide
    let listed = 0;
    for (const key in record) {
      if (!known.has(key)) return false;
      listed++;
    }
    // a key valibot reads (`key in`) that is not listed, hidden or inherited, is one JSON would leave out
    return listed === present;
  };
};

/**
 * Valibot's variant takes the first option whose discriminator matches and keeps that option's verdict when
 * it is typed, so the predicate does the same: the first option with that discriminator decides.
 */
const compileVariant = (key: string, options: readonly Schema[]): Check => {
  const byDiscriminator = new Map<unknown, Check>();
  for (const option of options) {
    const entries = (option as unknown as { entries?: Entries }).entries;
    const discriminator = entries?.[key];
    if (entries === undefined || discriminator === undefined) throw new Unsupported('variant option');
    const values =
      discriminator.type === 'literal'
        ? [(discriminator as unknown as { literal: unknown }).literal]
        : discriminator.type === 'picklist'
          ? (discriminator as unknown as { options: readonly unknown[] }).options
          : undefined;
    if (values === undefined || discriminator.pipe !== undefined)
      throw new Unsupported('variant discriminator');
    const check = compile(option);
    for (const value of values) if (!byDiscriminator.has(value)) byDiscriminator.set(value, check);
  }
  return (value) => {
    if (typeof value !== 'object' || value === null) return false;
    const check = byDiscriminator.get((value as Record<string, unknown>)[key]);
    return check?.(value) === true;
  };
};

const compileType = (schema: Schema): Check => {
  const s = schema as unknown as Record<string, unknown>;
  switch (schema.type) {
    case 'string':
      return (value) => typeof value === 'string';
    case 'number':
      return (value) => typeof value === 'number' && !Number.isNaN(value);
    case 'boolean':
      return (value) => typeof value === 'boolean';
    case 'unknown':
      return () => true;
    case 'literal': {
      const literal = s.literal;
      return (value) => value === literal;
    }
    case 'picklist': {
      const options = s.options as readonly unknown[];
      return (value) => options.includes(value);
    }
    case 'optional':
    case 'nullish': {
      if (s.default !== undefined) throw new Unsupported(`${schema.type} with a default`);
      const wrapped = compile(s.wrapped as Schema);
      const allowsNull = schema.type === 'nullish';
      return (value) => value === undefined || (allowsNull && value === null) || wrapped(value);
    }
    case 'array': {
      const item = compile(s.item as Schema);
      // an index loop, as valibot's: `every` would skip the holes of a sparse array
      return (value) => {
        if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return false;
        if ((value as { toJSON?: unknown }).toJSON !== undefined) return false;
        for (let index = 0; index < value.length; index++) if (!item(value[index])) return false;
        return true;
      };
    }
    case 'object':
    case 'strict_object':
      return compileObject(s.entries as Entries);
    case 'variant':
      return compileVariant(s.key as string, s.options as readonly Schema[]);
    default:
      throw new Unsupported(schema.type);
  }
};

function compile(schema: Schema): Check {
  if (schema.pipe === undefined) return compileType(schema);
  const [first, ...actions] = schema.pipe as unknown as [Schema, ...Parameters<typeof compileAction>[0][]];
  const base = compile(first);
  const steps = actions.map(compileAction).filter((step): step is Check => step !== undefined);
  return (value) => {
    if (!base(value)) return false;
    for (const step of steps) if (!step(value)) return false;
    return true;
  };
}

/** The schema's predicates, or undefined when it uses a part they do not model. */
export const compileCheck = (schema: v.GenericSchema): Check | undefined => {
  try {
    return compile(schema as Schema);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
};

/**
 * `v.safeParse` with the compiled predicates in front: a value they accept is its own output; anything else
 * is parsed by valibot, which gives the output or the issues. Compiled on first use.
 */
export const parserFor = <S extends v.GenericSchema>(
  schema: S,
): ((value: unknown) => v.SafeParseResult<S>) => {
  let check: Check | undefined | null = null;
  return (value) => {
    if (check === null) check = compileCheck(schema);
    if (check?.(value))
      return { typed: true, success: true, output: value as v.InferOutput<S>, issues: undefined };
    return v.safeParse(schema, value);
  };
};
