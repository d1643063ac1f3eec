import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { fitMessage } from '../../../lib/cliq/fit';
import type { CliqMessage } from '../../../lib/cliq/message';
import type { Source, VigilEvent } from '../../../lib/event/model';
import { fromApiGateway, type WebhookRequest } from '../../../lib/http/request';
import { formatEvent } from '../../../lib/sources/events';
import { isSource, SOURCES } from '../../../lib/sources/registry';

/** The repository's `events/` folder: signed API Gateway events, one folder per source. */
export const EVENTS_DIR = join(__dirname, '..', '..', '..', 'events');

export interface Sample {
  /** `<source>/<file name without .json>`, e.g. `github/push`. */
  readonly name: string;
  readonly source: Source;
}

/** Every webhook sample, by source then name (the sender's SQS batch is not a webhook). */
export const listSamples = (dir: string = EVENTS_DIR): Sample[] =>
  readdirSync(dir)
    .filter(isSource)
    .sort()
    .flatMap((source) =>
      readdirSync(join(dir, source))
        .filter((file) => file.endsWith('.json'))
        .sort()
        .map((file) => ({ name: `${source}/${file.replace(/\.json$/, '')}`, source })),
    );

/** A sample as the request it stands for: its headers (signature included) stay on the server. */
export const sampleRequest = (sample: Sample, dir: string = EVENTS_DIR): WebhookRequest =>
  fromApiGateway(
    JSON.parse(readFileSync(join(dir, `${sample.name}.json`), 'utf8')) as APIGatewayProxyEventV2,
  );

export const findSample = (name: string, dir: string = EVENTS_DIR): Sample | undefined =>
  listSamples(dir).find((sample) => sample.name === name);

/** The cards a sample's events become, before routing (what the channel would see). */
export const sampleMessages = (
  sample: Sample,
  dir: string = EVENTS_DIR,
): { readonly event: VigilEvent; readonly message: CliqMessage }[] => {
  const accepted = SOURCES[sample.source].accept(sampleRequest(sample, dir), new Date().toISOString());
  if (!accepted.ok) throw new Error(`${sample.name}: ${accepted.error.message}`);
  return accepted.value.events.map((event) => ({ event, message: fitMessage(formatEvent(event)) }));
};
