import * as v from 'valibot';

/**
 * One entry of a hook's Recent Deliveries, as GitHub's REST API lists it ("List deliveries for a repository
 * webhook" / "… for an organization webhook": the `hook-delivery-item` schema). `guid` is the event's
 * X-GitHub-Delivery, shared by every attempt at it; `id` names this one attempt. `status_code` is 0 when GitHub
 * got no answer (a timeout, a refused connection).
 */
export const Delivery = v.object({
  id: v.pipe(v.number(), v.integer()),
  guid: v.string(),
  delivered_at: v.string(),
  redelivery: v.boolean(),
  status: v.string(),
  status_code: v.pipe(v.number(), v.integer()),
  event: v.string(),
  action: v.nullish(v.string()),
});
export type Delivery = v.InferOutput<typeof Delivery>;

export const Deliveries = v.array(Delivery);

/** Vigil took it: any 2xx (ingest answers 202). Anything else, 0 included, is a delivery GitHub gave up on. */
export const succeeded = (delivery: Delivery): boolean =>
  delivery.status_code >= 200 && delivery.status_code < 300;

export const deliveredAt = (delivery: Delivery): number => Date.parse(delivery.delivered_at);

/** An event to send again: its first delivery, and how many attempts at it have failed so far. */
export interface Redelivery {
  readonly delivery: Delivery;
  readonly failedAttempts: number;
}

/**
 * The events of a hook's recent deliveries that never reached Vigil: every attempt at the event (its guid)
 * failed, and GitHub first sent it at or after `since`. An event with any successful attempt (a redelivery
 * that went through, by hand or by an earlier run) is left alone. A failed redelivery does not start the
 * clock again: each event is retried every run until its first delivery is older than `since`, so an
 * outage longer than the window ends the retries instead of repeating them for the three days GitHub keeps.
 */
export const toRedeliver = (deliveries: readonly Delivery[], since: number): Redelivery[] => {
  const byGuid = new Map<string, Delivery[]>();
  for (const delivery of deliveries) {
    const attempts = byGuid.get(delivery.guid);
    if (attempts === undefined) byGuid.set(delivery.guid, [delivery]);
    else attempts.push(delivery);
  }
  const chosen: Redelivery[] = [];
  for (const attempts of byGuid.values()) {
    if (attempts.some(succeeded)) continue;
    const first = attempts.find((attempt) => !attempt.redelivery);
    if (first === undefined || !(deliveredAt(first) >= since)) continue;
    chosen.push({ delivery: first, failedAttempts: attempts.length });
  }
  // oldest first, as GitHub first sent them
  return chosen.sort(
    (a, b) => deliveredAt(a.delivery) - deliveredAt(b.delivery) || a.delivery.id - b.delivery.id,
  );
};
