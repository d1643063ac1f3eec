/// <reference lib="dom" />
import type { Wait, WaitingChannel, WaitingOwner } from '../../../../lib/outbox/waiting';
import { escapeHtml } from '../markup';

/** The console's Waiting tab: what each owner's outbox holds, by channel, and why. */

const STATE: Readonly<Record<Wait['kind'], string>> = {
  held: 'held',
  lock: 'Cliq lock',
  backoff: 'backoff',
  budget: 'next slot',
  unread: 'unknown',
};

const clock = (iso: string) => new Date(iso).toLocaleTimeString([], { hour12: false });

/** `posts at 14:00:00`, with the date when it is not today. */
const postsAt = (wait: Wait): string => {
  if (wait.kind === 'budget') return 'posts at the next free slot';
  const when = new Date(wait.dueAt);
  const sameDay = when.toDateString() === new Date().toDateString();
  return `posts at ${sameDay ? clock(wait.dueAt) : `${when.toLocaleDateString()} ${clock(wait.dueAt)}`}`;
};

const renderChannel = (channel: WaitingChannel): string => {
  const more = channel.waiting - channel.events.length;
  return `<div class="delivery waiting-channel" data-channel="${escapeHtml(channel.channel)}" data-wait="${channel.kind}">
    <div class="delivery-head"><span class="state state-${channel.kind}">${STATE[channel.kind]}</span>
    <span>→ channel <strong>${escapeHtml(channel.channel)}</strong></span>
    <span class="waiting-count">${channel.waiting} waiting</span>
    <span class="muted waiting-why">${escapeHtml(channel.reason)} · <time datetime="${escapeHtml(channel.dueAt)}">${escapeHtml(postsAt(channel))}</time></span></div>
    <ol class="waiting-events">${channel.events
      .map(
        (event) =>
          `<li data-kind="${escapeHtml(event.eventKind)}"><span class="tag">${escapeHtml(event.source)}</span> <span>${escapeHtml(event.title)}</span>${
            event.kind === channel.kind && event.dueAt === channel.dueAt
              ? ''
              : ` <span class="muted">(${escapeHtml(event.reason)}, ${escapeHtml(postsAt(event))})</span>`
          }</li>`,
      )
      .join('')}</ol>${more > 0 ? `<p class="muted">and ${more} more</p>` : ''}
  </div>`;
};

const renderOwner = (owner: WaitingOwner): string =>
  `<li class="entry waiting-owner" data-owner="${escapeHtml(owner.owner)}">
    <div class="entry-head"><span class="tag">owner</span><span class="subject">${escapeHtml(owner.owner)}</span>
    <span>${owner.waiting} waiting</span>${
      owner.channels.length === 0 ? ` <span class="muted">${escapeHtml(owner.reason)}</span>` : ''
    }</div>
    ${owner.channels.map(renderChannel).join('')}
  </li>`;

/** Reads the outbox and shows it; the tab's badge counts every waiting event. */
export const refreshWaiting = async (): Promise<void> => {
  const response = await fetch('/api/outbox');
  if (!response.ok) return;
  const { owners } = (await response.json()) as { owners: WaitingOwner[] };
  const total = owners.reduce((sum, owner) => sum + owner.waiting, 0);
  (document.getElementById('waiting-count') as HTMLElement).textContent = total === 0 ? '' : String(total);
  (document.getElementById('waiting') as HTMLElement).innerHTML = owners.map(renderOwner).join('');
  (document.getElementById('waiting-empty') as HTMLElement).hidden = owners.length > 0;
};

/** The outbox changes on the sender's schedule, not on a page event: it is read again every two seconds. */
export const watchWaiting = (): void => {
  const refresh = () => void refreshWaiting().catch(() => undefined);
  refresh();
  setInterval(refresh, 2000);
};
