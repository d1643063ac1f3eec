import * as v from 'valibot';
import { fitMessage } from '../../../lib/cliq/fit';
import { VigilEvent } from '../../../lib/event/model';
import { json } from '../../../lib/http/response';
import { formatEvent } from '../../../lib/sources/events';
import { parseJsonObject } from '../../../lib/util/parse-json';
import {
  countDeadLetters,
  type DeadLetter,
  listDeadLetters,
  type Queues,
  redrive,
  summarize,
} from '../../dlq/dead-letters';
import type { Route, RouteHandler } from '../http-server';
import type { Activity } from './activity';
import { cacheDeadLetters } from './dead-letter-cache';
import { guarded } from './guard';
import { bad, bodyOf } from './input';

/** A dead letter as the console shows it: its body (the queued message) stays on the server. */
const publicLetter = ({ body: _body, ...letter }: DeadLetter) => letter;

/**
 * The console's dead-letter routes. Reading a FIFO DLQ whole moves its messages (see walkDeadLetters), so
 * the list and a letter's details are same-origin JSON POSTs, like a redrive, and answer from one recent
 * reading; the count the page shows beside the tab is SQS's own count, which moves nothing.
 */
export const deadLetterRoutes = (queues: Queues, activity: Activity): Route[] => {
  const cache = cacheDeadLetters(() => listDeadLetters(queues));
  activity.subscribe((entry) => {
    if (entry.deliveries.some((delivery) => delivery.state === 'dead_lettered')) cache.forget();
  });

  const list: RouteHandler = async () => {
    const letters = await cache.letters();
    return json(200, { summary: summarize(letters), letters: letters.map(publicLetter) });
  };

  const show: RouteHandler = async (event) => {
    const id = bodyOf(event)?.id;
    if (typeof id !== 'string') return bad('send {"id": "<an id from the list>"}');
    const letter = (await cache.letters()).find((candidate) => candidate.id === id);
    if (letter === undefined) return json(404, { error: 'not_found', message: `no dead letter ${id}` });
    const parsed = parseJsonObject(letter.body);
    const queued = parsed.ok ? parsed.value.event : undefined;
    const valid = v.safeParse(VigilEvent, queued);
    const message = valid.success ? fitMessage(formatEvent(valid.output)) : undefined;
    return json(200, {
      letter: publicLetter(letter),
      event: queued,
      ...(message === undefined ? {} : { message }),
    });
  };

  const redriveLetters: RouteHandler = async (event) => {
    const input = bodyOf(event);
    if (input === undefined || input.confirm !== true)
      return bad('send {"confirm": true} (and "kind" to redrive one kind only)');
    const kind = input.kind;
    if (kind !== undefined && typeof kind !== 'string') return bad('kind must be a string');
    cache.forget();
    const result = await redrive(queues, {
      dryRun: false,
      ...(kind === undefined ? {} : { kind: (candidate: string) => candidate === kind }),
    });
    cache.forget();
    return json(200, { ...result, moved: result.moved.map(publicLetter) });
  };

  return [
    {
      path: '/api/dead-letter-count',
      method: 'ANY',
      handler: guarded(false, async () => json(200, { count: await countDeadLetters(queues) })),
    },
    { path: '/api/dead-letters', method: 'ANY', handler: guarded(true, list) },
    { path: '/api/dead-letter', method: 'ANY', handler: guarded(true, show) },
    { path: '/api/redrive', method: 'ANY', handler: guarded(true, redriveLetters) },
  ];
};
