import type { VigilEvent } from '../event/model';
import { SENDER_SOURCES } from '../sources/events';
import type { Alert } from '../sources/shared/alerting/facts';
import { MAX_RESOLUTIONS, type Resolution } from './state';

/** An alert across notifications: its fingerprint, else its name and instance (a sender that omits it). */
const alertOf = (alert: Alert): string => alert.fingerprint ?? `${alert.name} ${alert.instance ?? ''}`.trim();

/** The alerts of the group an event carries, if its source sends alert groups (SourceEvents.alertGroup). */
const alertsOf = (event: VigilEvent): readonly Alert[] | undefined =>
  SENDER_SOURCES.alertGroup(event)?.alerts;

/** When an episode's resolution ended it: its end time, else (a sender that omits it) its start. */
const endOf = (resolution: Resolution): number => Date.parse(resolution.endsAt ?? resolution.startsAt);

/**
 * The resolutions remembered after `event`: the earlier ones, with each alert this event resolves replacing
 * that alert's older record, the latest MAX_RESOLUTIONS kept.
 */
export const resolutionsAfter = (
  earlier: readonly Resolution[] | undefined,
  event: VigilEvent,
): Resolution[] | undefined => {
  const resolving = (alertsOf(event) ?? []).flatMap((alert): Resolution[] =>
    alert.status === 'resolved' && alert.startsAt !== undefined
      ? [
          {
            alert: alertOf(alert).slice(0, 300),
            startsAt: alert.startsAt,
            ...(alert.endsAt === undefined ? {} : { endsAt: alert.endsAt }),
          },
        ]
      : [],
  );
  if (resolving.length === 0) return earlier === undefined ? undefined : [...earlier];
  const byAlert = new Map((earlier ?? []).map((resolution) => [resolution.alert, resolution]));
  for (const resolution of resolving) {
    const known = byAlert.get(resolution.alert);
    if (known === undefined || endOf(resolution) >= endOf(known)) {
      byAlert.delete(resolution.alert);
      byAlert.set(resolution.alert, resolution);
    }
  }
  return [...byAlert.values()].slice(-MAX_RESOLUTIONS);
};

/**
 * Whether a firing notification is older than what is known: each of its alerts (none left out) started no
 * later than the resolution recorded for it, so it is a replica's or a retry's late copy of an episode that
 * already ended. An alert with no start, no record, or a start after its record's end is news.
 */
export const isStale = (resolutions: readonly Resolution[] | undefined, event: VigilEvent): boolean => {
  const group = SENDER_SOURCES.alertGroup(event);
  const alerts = group?.alerts ?? [];
  if (
    group === undefined ||
    alerts.length === 0 ||
    resolutions === undefined ||
    group.status !== 'firing' ||
    group.truncatedAlerts > 0 ||
    group.alertCount > alerts.length
  ) {
    return false;
  }
  const byAlert = new Map(resolutions.map((resolution) => [resolution.alert, resolution]));
  return alerts.every((alert) => {
    const known = byAlert.get(alertOf(alert));
    return known !== undefined && alert.startsAt !== undefined && Date.parse(alert.startsAt) <= endOf(known);
  });
};
