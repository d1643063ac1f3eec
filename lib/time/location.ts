import * as v from 'valibot';
import { knowsTimeZone } from './zone';

let canonical: Map<string, string> | undefined;
/** ICU's zone names by their lower case, built on first use (it costs a cold start a few milliseconds). */
const canonicalNames = (): Map<string, string> => {
  canonical ??= new Map([
    ...Intl.supportedValuesOf('timeZone').map((zone) => [zone.toLowerCase(), zone] as const),
    ['utc', 'UTC'] as const,
  ]);
  return canonical;
};

const problemWith = (zone: string): string | undefined => {
  if (zone === 'Local')
    return 'cannot be Local: the machine’s zone differs between a laptop and AWS Lambda (UTC); name the zone, such as Europe/Berlin';
  // Alertmanager reads zone files by name, so case matters there; Intl would accept any case
  const spelled = canonicalNames().get(zone.toLowerCase());
  if (spelled !== undefined && spelled !== zone) return `must be spelled ${spelled}`;
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone) || !knowsTimeZone(zone))
    return `"${zone}" is not an IANA time zone (such as Europe/Berlin, America/New_York or UTC)`;
  return undefined;
};

/** A `location`: an IANA time zone name, as Alertmanager's time intervals take it. */
export const Location = v.pipe(
  v.string('must be an IANA time zone name such as Europe/Berlin'),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const problem = problemWith(dataset.value);
    if (problem !== undefined) addIssue({ message: problem });
  }),
);
