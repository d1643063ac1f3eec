import { METRIC_NAMES } from '../../../lib/metrics';

/** What the local stack's `/health` reports; `/metrics` shows the same numbers. */
export interface HealthReport {
  readonly mode: string;
  readonly queue: { readonly visible: number; readonly inFlight: number };
  readonly dlq: { readonly depth: number };
  readonly locks: Readonly<Record<string, number>>;
  /** Per owner (its safe name), the events waiting in its outbox, when the first may post and why. */
  readonly outbox: Readonly<
    Record<string, { readonly waiting: number; readonly due_at: string; readonly reason: string }>
  >;
  readonly counters: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

const HELP: Readonly<Record<(typeof METRIC_NAMES)[number], string>> = {
  received: 'Webhook requests received.',
  rejected: 'Webhook requests refused with a 4xx.',
  enqueued: 'Messages put on the queue (one per event and channel).',
  dropped: 'Events that routing dropped.',
  delivered: 'Events posted to Cliq.',
  retried: 'Deliveries that failed and will be retried.',
  locked: "Times Cliq's rate-limit lock held an owner.",
  digested: 'Events posted as part of a digest.',
  dead_lettered: 'Messages moved to the dead-letter queue by the sender.',
  unchanged: 'CI results that changed nothing (success after success), recorded and not posted.',
  threads_refused: 'Thread replies Cliq refused, posted in the channel instead.',
  state_write_failed: 'Ledger or conversation writes given up after their post or dead letter (logged).',
  redelivered: 'Failed webhook deliveries the source was asked to send again (GitHub redelivery).',
};

/** A label value in the exposition format: backslash, double quote and line feed escaped. */
const label = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** The health report in Prometheus' text exposition format (version 0.0.4). */
export const prometheusText = (report: HealthReport): string => {
  const lines: string[] = [];
  for (const name of METRIC_NAMES) {
    const metric = `vigil_${name}_total`;
    lines.push(`# HELP ${metric} ${HELP[name]}`, `# TYPE ${metric} counter`);
    for (const [source, value] of Object.entries(report.counters[name] ?? {}).sort())
      lines.push(`${metric}{source="${label(source)}"} ${value}`);
  }
  lines.push(
    '# HELP vigil_queue_messages Messages on the event queue, by state.',
    '# TYPE vigil_queue_messages gauge',
    `vigil_queue_messages{state="visible"} ${report.queue.visible}`,
    `vigil_queue_messages{state="in_flight"} ${report.queue.inFlight}`,
    '# HELP vigil_dead_letter_messages Messages in the dead-letter queue.',
    '# TYPE vigil_dead_letter_messages gauge',
    `vigil_dead_letter_messages ${report.dlq.depth}`,
    "# HELP vigil_cliq_lock_seconds Seconds left on Cliq's rate-limit lock, per owner.",
    '# TYPE vigil_cliq_lock_seconds gauge',
    ...Object.entries(report.locks)
      .sort()
      .map(([owner, seconds]) => `vigil_cliq_lock_seconds{owner="${label(owner)}"} ${seconds}`),
    '# HELP vigil_outbox_waiting Events waiting in the outbox (held, paced or locked), per owner.',
    '# TYPE vigil_outbox_waiting gauge',
    ...Object.entries(report.outbox ?? {})
      .sort()
      .map(([owner, { waiting }]) => `vigil_outbox_waiting{owner="${label(owner)}"} ${waiting}`),
    '# HELP vigil_preview_mode 1 when messages are previewed instead of posted to Cliq.',
    '# TYPE vigil_preview_mode gauge',
    `vigil_preview_mode ${report.mode === 'preview' ? 1 : 0}`,
  );
  return `${lines.join('\n')}\n`;
};
