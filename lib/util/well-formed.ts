/**
 * A lone surrogate (`"\ud800"`) is legal in JSON text but not in Unicode: `encodeURIComponent` throws on it and
 * UTF-8 cannot carry it. Node 20 has ES2024's isWellFormed and toWellFormed (native, and immediate on a
 * one-byte string); the ES2023 lib does not type them yet.
 */
type WellFormedString = { isWellFormed(): boolean; toWellFormed(): string };

/**
 * Whether the text has a `\u` escape for a surrogate half (D800-DFFF): the only way JSON text decoded from
 * UTF-8 can make a lone surrogate. `indexOf` hops from escape to escape: a tenth of a regular expression's
 * time on a payload with none (an escaped backslash before `u` is a harmless false positive).
 */
const hasSurrogateEscape = (text: string): boolean => {
  for (let at = text.indexOf('\\u'); at !== -1; at = text.indexOf('\\u', at + 2)) {
    if ((text.charCodeAt(at + 2) | 0x20) !== 0x64) continue; // d or D
    const next = text.charCodeAt(at + 3) | 0x20;
    if (next === 0x38 || next === 0x39 || (next >= 0x61 && next <= 0x66)) return true; // 8, 9, a-f or A-F
  }
  return false;
};

export const hasLoneSurrogate = (text: string): boolean =>
  !(text as unknown as WellFormedString).isWellFormed();

/** The text with each lone surrogate replaced by U+FFFD, as a UTF-8 encoder would. */
export const wellFormed = (text: string): string => (text as unknown as WellFormedString).toWellFormed();

/**
 * Whether parsing this JSON text may give a lone surrogate: text decoded from strict UTF-8 has none of its own,
 * so only an escape can, and text given as a string is checked as it is.
 */
export const mayHoldLoneSurrogate = (text: string, decoded: boolean): boolean =>
  hasSurrogateEscape(text) || (!decoded && hasLoneSurrogate(text));

type Holder = Record<string | number, unknown>;

/**
 * A parsed JSON value with every lone surrogate in its strings and object keys replaced by U+FFFD. Objects
 * whose keys change are rebuilt (`Object.fromEntries` defines own properties, so a `__proto__` key stays an
 * ordinary key); everything else is repaired in place. A stack, not recursion: no depth to outgrow.
 */
export const wellFormedJson = (value: unknown): unknown => {
  const root: Holder = { value };
  const pending: [Holder, string | number][] = [[root, 'value']];
  while (pending.length > 0) {
    const [holder, at] = pending.pop() as [Holder, string | number];
    const current = holder[at];
    if (typeof current === 'string') {
      if (hasLoneSurrogate(current)) holder[at] = wellFormed(current);
    } else if (Array.isArray(current)) {
      for (let index = 0; index < current.length; index += 1)
        pending.push([current as unknown as Holder, index]);
    } else if (typeof current === 'object' && current !== null) {
      const keys = Object.keys(current);
      let target = current as Holder;
      if (keys.some(hasLoneSurrogate)) {
        target = Object.fromEntries(keys.map((key) => [wellFormed(key), target[key]]));
        holder[at] = target;
      }
      for (const key of Object.keys(target)) pending.push([target, key]);
    }
  }
  return root.value;
};
