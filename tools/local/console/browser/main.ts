/// <reference lib="dom" />
import type { CliqMessage } from '../../../../lib/cliq/message';
import { age } from '../../../dlq/age';
import type { DeadLetter } from '../../../dlq/dead-letters';
import type { Delivery, FeedEntry } from '../activity';
import { escapeHtml } from '../markup';
import { renderMessage } from '../render-card';
import { watchWaiting } from './waiting';

/** The console page: live feed over Server-Sent Events, what waits, route playground, dead letters. */

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const api = async <T>(path: string, body?: unknown): Promise<T> => {
  const response = await fetch(path, {
    ...(body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const data = (await response.json()) as T & { message?: string };
  if (!response.ok) throw new Error(data.message ?? `${response.status}`);
  return data;
};

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour12: false });
const duration = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

// ---- tabs -------------------------------------------------------------------------------------------
const TABS = ['live', 'waiting', 'playground', 'dead-letters'] as const;
const showTab = () => {
  const wanted = location.hash.replace('#', '');
  const tab = (TABS as readonly string[]).includes(wanted) ? wanted : 'live';
  for (const panel of document.querySelectorAll<HTMLElement>('[data-panel]'))
    panel.hidden = panel.dataset.panel !== tab;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-tab]')) {
    if (link.dataset.tab === tab) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (tab === 'dead-letters') void loadDeadLetters();
};

// ---- live feed --------------------------------------------------------------------------------------
const entries = new Map<string, FeedEntry>();

const stateText = (delivery: Delivery): string => {
  switch (delivery.state) {
    case 'routed':
      return 'routed';
    case 'queued':
      return 'queued';
    case 'delivered':
      return `${delivery.preview ? 'previewed' : 'delivered'} in ${duration(delivery.latencyMs)}`;
    case 'digested':
      return `digested in ${duration(delivery.latencyMs)}`;
    case 'retrying':
      return `retrying at ${time(delivery.nextAttemptAt)} (attempt ${delivery.attempts + 1})`;
    case 'dead_lettered':
      return `dead-lettered: ${delivery.reason}`;
    case 'unchanged':
      return 'unchanged: not posted';
  }
};

/** The note beside a delivery's state: when a held one posts, the last error, or why it was not posted. */
const stateNote = (delivery: Delivery): string =>
  (delivery.state === 'routed' || delivery.state === 'queued') && delivery.held !== undefined
    ? delivery.held
    : delivery.state === 'retrying'
      ? `last error: ${delivery.lastError}`
      : delivery.state === 'dead_lettered'
        ? delivery.detail
        : delivery.state === 'unchanged'
          ? delivery.reason
          : '';

const stateDetail = (delivery: Delivery): string => {
  const note = stateNote(delivery);
  return note === '' ? '' : `<span class="muted">${escapeHtml(note)}</span>`;
};

/** Where a post went in Cliq: a reply in its parent's thread, and whether it also shows in the channel. */
const threadMarks = (delivery: Delivery): string =>
  delivery.threadOf === undefined
    ? ''
    : `<span class="mark">↳ reply in thread</span>${
        delivery.message?.post_in_parent === true
          ? '<span class="mark mark-channel">also in channel</span>'
          : ''
      }`;

/** The card as posted; one that was not posted stays folded, to be opened on demand. */
const renderPosted = (delivery: Delivery): string =>
  delivery.message === undefined
    ? ''
    : delivery.state === 'unchanged'
      ? `<details class="unposted"><summary>The card it would have posted</summary>${renderMessage(delivery.message)}</details>`
      : renderMessage(delivery.message);

const renderDelivery = (delivery: Delivery, replies: readonly string[]): string =>
  `<div class="delivery" data-channel="${escapeHtml(delivery.channel)}" data-state="${delivery.state}">
    <div class="delivery-head"><span class="state state-${delivery.state}">${escapeHtml(stateText(delivery))}</span>
    <span>→ channel <strong>${escapeHtml(delivery.channel)}</strong></span>${threadMarks(delivery)}${stateDetail(delivery)}</div>
    ${renderPosted(delivery)}
    ${
      replies.length === 0
        ? ''
        : `<div class="replies" role="group" aria-label="thread replies"><div class="replies-label">Thread · ${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</div>${replies.join('')}</div>`
    }
  </div>`;

const decisionText = (entry: FeedEntry): string => {
  const { matched, decidedBy, dropped, channels } = entry.decision;
  const routes = matched.length === 0 ? 'no route matched' : `matched ${matched.map(escapeHtml).join(' → ')}`;
  const outcome = dropped
    ? `<strong>dropped</strong> by ${decidedBy === 'default' ? 'the default (drop)' : `route “${escapeHtml(decidedBy)}”`}: nothing is posted`
    : `decided by <strong>${escapeHtml(decidedBy)}</strong> → ${channels.map((c) => `<strong>${escapeHtml(c)}</strong>`).join(', ')}`;
  return `${routes} · ${outcome}`;
};

/** Replies (deliveries naming a parent's Cliq id) are shown under their parent's delivery. */
const renderFeed = () => {
  const all = [...entries.values()].sort(
    (a, b) => b.receivedAt.localeCompare(a.receivedAt) || b.revision - a.revision,
  );
  const parents = new Map<string, string>();
  for (const entry of all)
    for (const delivery of entry.deliveries)
      if (delivery.messageId !== undefined)
        parents.set(delivery.messageId, `${entry.key}|${delivery.channel}`);
  const childrenOf = new Map<string, FeedEntry[]>();
  const top: FeedEntry[] = [];
  for (const entry of all) {
    const parent = entry.deliveries
      .map((delivery) => (delivery.threadOf === undefined ? undefined : parents.get(delivery.threadOf)))
      .find((found) => found !== undefined && !found.startsWith(`${entry.key}|`));
    if (parent === undefined) top.push(entry);
    else childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), entry]);
  }
  const renderEntry = (entry: FeedEntry, depth: number): string =>
    `<li class="entry" data-key="${escapeHtml(entry.key)}" data-kind="${escapeHtml(entry.kind)}">
      <div class="entry-head"><span class="tag">${escapeHtml(entry.source)}</span>
      <span class="kind">${escapeHtml(entry.kind)}</span>
      <span class="subject">${escapeHtml(entry.subject)}</span><span>${escapeHtml(entry.title)}</span>
      <time datetime="${escapeHtml(entry.receivedAt)}">${time(entry.receivedAt)}</time></div>
      <div class="decision">${decisionText(entry)}</div>
      ${entry.deliveries
        .map((delivery) =>
          renderDelivery(
            delivery,
            depth > 3
              ? []
              : (childrenOf.get(`${entry.key}|${delivery.channel}`) ?? [])
                  .reverse()
                  .map((child) => `<ol class="feed">${renderEntry(child, depth + 1)}</ol>`),
          ),
        )
        .join('')}
    </li>`;
  $('feed').innerHTML = top.map((entry) => renderEntry(entry, 0)).join('');
  $('feed-empty').hidden = entries.size > 0;
};

let pending = false;
const scheduleRender = () => {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    renderFeed();
  });
};

const connect = () => {
  const status = $('stream-status');
  const source = new EventSource('/api/stream');
  source.addEventListener('open', () => {
    status.textContent = 'live';
  });
  source.addEventListener('error', () => {
    status.textContent = 'reconnecting…';
  });
  source.addEventListener('entry', (event) => {
    const entry = JSON.parse((event as MessageEvent<string>).data) as FeedEntry;
    const known = entries.get(entry.key);
    if (known !== undefined && known.revision > entry.revision) return;
    entries.set(entry.key, entry);
    if (entry.deliveries.some((delivery) => delivery.state === 'dead_lettered')) void refreshDlqCount();
    scheduleRender();
  });
};

// ---- route playground ------------------------------------------------------------------------------
interface SourceInfo {
  readonly name: string;
  readonly eventHeader?: string;
}
let sources: SourceInfo[] = [];

const syncEventField = () => {
  const source = sources.find((candidate) => candidate.name === ($('pg-source') as HTMLSelectElement).value);
  const field = $('pg-event-field');
  field.hidden = source?.eventHeader === undefined;
  $('pg-event-name').textContent = source?.eventHeader ?? '';
};

const loadPlayground = async () => {
  const [{ samples, sources: known }, routing] = await Promise.all([
    api<{ samples: { name: string; source: string }[]; sources: SourceInfo[] }>('/api/samples'),
    api<{ file: string; text: string }>('/api/routing'),
  ]);
  sources = known;
  const sampleSelect = $('pg-sample') as HTMLSelectElement;
  for (const sample of samples) sampleSelect.add(new Option(sample.name, sample.name));
  const sourceSelect = $('pg-source') as HTMLSelectElement;
  for (const source of known) sourceSelect.add(new Option(source.name, source.name));
  ($('pg-routing') as HTMLTextAreaElement).value = routing.text;
  $('pg-routing-file').textContent = `(${routing.file}; edits stay in this page)`;
  sampleSelect.addEventListener('change', async () => {
    if (sampleSelect.value === '') return;
    // the sample's payload and event name fill the form, to be edited at will
    const sample = await api<{ source: string; event?: string; payload: string }>(
      `/api/sample?name=${encodeURIComponent(sampleSelect.value)}`,
    );
    sourceSelect.value = sample.source;
    ($('pg-event') as HTMLInputElement).value = sample.event ?? '';
    ($('pg-payload') as HTMLTextAreaElement).value = sample.payload;
    syncEventField();
  });
  sourceSelect.addEventListener('change', syncEventField);
  syncEventField();
};

interface Explained {
  readonly event: { id: string; kind: string; subject: string; title: string };
  readonly decision: {
    matched: string[];
    decidedBy: string;
    dropped: boolean;
    destinations: { channel: string }[];
  };
  readonly messages: { channel: string; held?: string; message: CliqMessage }[];
}

const explain = async (event: SubmitEvent) => {
  event.preventDefault();
  const out = $('pg-result');
  out.innerHTML = '<p class="muted">Explaining…</p>';
  try {
    const result = await api<{ ok: boolean; error?: string; note?: string; explained?: Explained[] }>(
      '/api/explain',
      {
        source: ($('pg-source') as HTMLSelectElement).value,
        event: ($('pg-event') as HTMLInputElement).value,
        payload: ($('pg-payload') as HTMLTextAreaElement).value,
        routing: ($('pg-routing') as HTMLTextAreaElement).value,
      },
    );
    if (!result.ok) {
      out.innerHTML = `<div class="error" role="alert">${escapeHtml(result.error ?? 'refused')}</div>`;
      return;
    }
    const items = result.explained ?? [];
    out.innerHTML =
      items.length === 0
        ? `<div class="result">Nothing to post: ${escapeHtml(result.note ?? '')}</div>`
        : items
            .map(
              ({ event: e, decision, messages }) => `<div class="result" data-kind="${escapeHtml(e.kind)}">
        <div class="entry-head"><span class="kind">${escapeHtml(e.kind)}</span><span class="subject">${escapeHtml(e.subject)}</span><span>${escapeHtml(e.title)}</span></div>
        <div class="decision">${
          decision.matched.length === 0
            ? 'no route matched'
            : `matched ${decision.matched.map(escapeHtml).join(' → ')}`
        } · decided by <strong>${escapeHtml(decision.decidedBy)}</strong> · ${
          decision.dropped
            ? '<strong>dropped</strong>: nothing is posted'
            : `posts to ${decision.destinations.map((d) => `<strong>${escapeHtml(d.channel)}</strong>`).join(', ')}`
        }</div>
        ${messages
          .map(
            ({ channel, held, message }) =>
              `<div class="delivery"><div class="delivery-head">→ channel <strong>${escapeHtml(channel)}</strong>${
                held === undefined ? '' : ` <span class="muted">${escapeHtml(held)}</span>`
              }</div>${renderMessage(message)}</div>`,
          )
          .join('')}</div>`,
            )
            .join('');
  } catch (error) {
    out.innerHTML = `<div class="error" role="alert">${escapeHtml((error as Error).message)}</div>`;
  }
};

// ---- dead letters ----------------------------------------------------------------------------------
/** A dead letter as the console's API lists it: everything but the body and its group. */
type Letter = Omit<DeadLetter, 'body' | 'groupId'>;

const showDlqCount = (count: number) => {
  $('dlq-count').textContent = count === 0 ? '' : String(count);
};

/** SQS's count of the DLQ's messages: reading the letters themselves moves them, so the tab does not. */
const refreshDlqCount = async () => {
  showDlqCount((await api<{ count: number }>('/api/dead-letter-count')).count);
};

const confirmRedrive = (text: string): Promise<boolean> =>
  new Promise((resolve) => {
    const dialog = $('confirm') as HTMLDialogElement;
    $('confirm-text').textContent = text;
    dialog.returnValue = '';
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
  });

const redriveLetters = async (kind: string | undefined, count: number) => {
  const what =
    kind === undefined ? `all ${count} dead letter(s)` : `the ${count} dead letter(s) of kind ${kind}`;
  if (!(await confirmRedrive(`Move ${what} back to the queue to be delivered again?`))) return;
  const result = await api<{ moved: Letter[] }>('/api/redrive', {
    confirm: true,
    ...(kind === undefined ? {} : { kind }),
  });
  $('dlq-detail').innerHTML =
    `<p class="result" role="status">Moved ${result.moved.length} message(s) back to the queue.</p>`;
  await loadDeadLetters(false);
};

let letters: Letter[] = [];

const showLetter = async (id: string) => {
  const out = $('dlq-detail');
  for (const row of document.querySelectorAll<HTMLElement>('#dlq-table tbody tr'))
    row.classList.toggle('selected', row.dataset.id === id);
  try {
    const { letter, message } = await api<{ letter: Letter; message?: CliqMessage }>('/api/dead-letter', {
      id,
    });
    const count = letters.filter((candidate) => candidate.kind === letter.kind).length;
    const facts: [string, string | undefined][] = [
      ['Id', letter.id],
      ['Reason', letter.reason],
      ['Cliq answer', [letter.status, letter.code].filter(Boolean).join(' ') || undefined],
      ['Detail', letter.detail],
      ['Kind', letter.kind],
      ['Source', letter.source],
      ['Channel', letter.channel],
      ['Failed at', letter.failedAt],
      ['Age', age(letter.ageSeconds)],
    ];
    out.innerHTML = `<div class="detail" data-id="${escapeHtml(letter.id)}"><h3>Dead letter</h3><dl>${facts
      .filter(([, value]) => value !== undefined && value !== '')
      .map(([label, value]) => `<dt>${label}</dt><dd>${escapeHtml(value ?? '')}</dd>`)
      .join('')}</dl>
      <div class="actions"><button type="button" class="danger" id="dlq-redrive-kind">Redrive ${escapeHtml(letter.kind)} (${count})…</button></div>
      ${message === undefined ? '' : `<h4>The message</h4>${renderMessage(message)}`}</div>`;
    $('dlq-redrive-kind').addEventListener('click', () => void redriveLetters(letter.kind, count));
  } catch (error) {
    out.innerHTML = `<div class="error" role="alert">${escapeHtml((error as Error).message)}</div>`;
  }
};

const loadDeadLetters = async (clearDetail = true) => {
  ({ letters } = await api<{ letters: Letter[] }>('/api/dead-letters', {}));
  showDlqCount(letters.length);
  const body = $('dlq-table').querySelector('tbody') as HTMLTableSectionElement;
  body.innerHTML = letters
    .map(
      (letter) => `<tr data-id="${escapeHtml(letter.id)}" data-kind="${escapeHtml(letter.kind)}">
      <td>${age(letter.ageSeconds)}</td>
      <td>${escapeHtml(letter.reason)}${letter.status || letter.code ? ` <span class="muted">(${escapeHtml([letter.status, letter.code].filter(Boolean).join(' '))})</span>` : ''}</td>
      <td class="kind">${escapeHtml(letter.kind)}</td>
      <td>${escapeHtml(letter.channel)}</td>
      <td class="hide-narrow">${escapeHtml(letter.detail ?? '')}</td>
      <td><button type="button" class="link" data-show="${escapeHtml(letter.id)}">Details</button></td></tr>`,
    )
    .join('');
  $('dlq-table').hidden = letters.length === 0;
  $('dlq-empty').hidden = letters.length > 0;
  ($('dlq-redrive-all') as HTMLButtonElement).disabled = letters.length === 0;
  if (clearDetail) $('dlq-detail').innerHTML = '';
};

// ---- start ----------------------------------------------------------------------------------------
const start = () => {
  window.addEventListener('hashchange', showTab);
  showTab();
  connect();
  void loadPlayground();
  void refreshDlqCount();
  watchWaiting();
  ($('playground-form') as HTMLFormElement).addEventListener('submit', (event) => void explain(event));
  $('dlq-refresh').addEventListener('click', () => void loadDeadLetters());
  $('dlq-redrive-all').addEventListener('click', () => void redriveLetters(undefined, letters.length));
  $('dlq-table').addEventListener('click', (event) => {
    const id = (event.target as HTMLElement).closest<HTMLElement>('[data-show]')?.dataset.show;
    if (id !== undefined) void showLetter(id);
  });
};

start();
