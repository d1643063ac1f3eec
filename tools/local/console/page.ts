import { escapeHtml } from './markup';

/**
 * The mode badge: whether messages leave this machine, per channel when some do and some do not. A
 * previewed channel posts to the built-in Cliq stand-in; a delivering one to its Cliq URL.
 */
export const modeBadge = (mode: string, channels: Readonly<Record<string, string>> = {}): string => {
  const named = (wanted: string) =>
    Object.entries(channels)
      .filter(([, channelMode]) => channelMode === wanted)
      .map(([name]) => name)
      .join(', ');
  if (mode === 'preview') return 'preview: nothing is posted to Cliq';
  if (mode === 'mixed')
    return `mixed: ${named('delivering')} delivering to Cliq; ${named('preview')} previewed`;
  return 'delivering to Cliq';
};

/** The console's one page; the browser code fills each panel. */
export const consolePage = (
  mode: string,
  channels: Readonly<Record<string, string>> = {},
): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vigil console</title>
<link rel="stylesheet" href="/console.css">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<script src="/console.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <h1>Vigil <span class="muted">local console</span></h1>
  <span class="mode mode-${escapeHtml(mode)}" id="mode">${escapeHtml(modeBadge(mode, channels))}</span>
  <nav aria-label="Console sections">
    <a href="#live" data-tab="live">Live</a>
    <a href="#waiting" data-tab="waiting">Waiting <span id="waiting-count" class="count"></span></a>
    <a href="#playground" data-tab="playground">Route playground</a>
    <a href="#dead-letters" data-tab="dead-letters">Dead letters <span id="dlq-count" class="count"></span></a>
    <a href="/metrics">Metrics</a>
  </nav>
</header>
<main id="main" tabindex="-1">
  <section id="panel-live" data-panel="live" aria-labelledby="live-title">
    <div class="panel-head">
      <h2 id="live-title">Live events</h2>
      <span id="stream-status" class="muted" role="status">connecting…</span>
    </div>
    <p id="feed-empty" class="empty">No events yet. Send a webhook to <code>/webhooks/&lt;source&gt;</code>, or try a sample in the route playground.</p>
    <ol id="feed" class="feed" aria-live="polite"></ol>
  </section>
  <section id="panel-waiting" data-panel="waiting" aria-labelledby="waiting-title" hidden>
    <h2 id="waiting-title">Waiting to post</h2>
    <p class="muted">The outbox, per Cliq owner and channel: events held by routing (a hold window, a digest period), paced to Cliq's budget, or waiting out its lock or a retry's backoff.</p>
    <p id="waiting-empty" class="empty">Nothing is waiting: every event has gone out.</p>
    <ol id="waiting" class="feed" aria-live="polite"></ol>
  </section>
  <section id="panel-playground" data-panel="playground" aria-labelledby="playground-title" hidden>
    <h2 id="playground-title">Route playground</h2>
    <p class="muted">What Vigil would do with a request, without posting: the same code as <code>npm run route</code>.</p>
    <form id="playground-form" class="playground">
      <div class="field"><label for="pg-sample">Sample from <code>events/</code></label>
        <select id="pg-sample"><option value="">— or paste a payload below —</option></select></div>
      <div class="field"><label for="pg-source">Source</label><select id="pg-source"></select></div>
      <div class="field" id="pg-event-field"><label for="pg-event">Event header <code id="pg-event-name"></code></label>
        <input id="pg-event" autocomplete="off" placeholder="push"></div>
      <div class="field wide"><label for="pg-payload">Payload (JSON)</label>
        <textarea id="pg-payload" rows="8" spellcheck="false"></textarea></div>
      <details class="field wide"><summary>Routing file <span id="pg-routing-file" class="muted"></span></summary>
        <label for="pg-routing" class="visually-hidden">Routing file (YAML)</label>
        <textarea id="pg-routing" rows="12" spellcheck="false"></textarea></details>
      <div class="actions wide"><button type="submit" class="primary">Explain</button></div>
    </form>
    <div id="pg-result" aria-live="polite"></div>
  </section>
  <section id="panel-dead-letters" data-panel="dead-letters" aria-labelledby="dlq-title" hidden>
    <div class="panel-head">
      <h2 id="dlq-title">Dead letters</h2>
      <button type="button" id="dlq-refresh">Refresh</button>
      <button type="button" id="dlq-redrive-all" class="danger">Redrive all…</button>
    </div>
    <p class="muted">The same code as <code>npm run dlq</code>: list, show, redrive.</p>
    <div id="dlq-summary"></div>
    <div class="table-wrap"><table class="letters" id="dlq-table">
      <thead><tr><th scope="col">Age</th><th scope="col">Reason</th><th scope="col">Kind</th><th scope="col">Channel</th><th scope="col">Detail</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody></tbody></table></div>
    <p id="dlq-empty" class="empty" hidden>The dead-letter queue is empty.</p>
    <div id="dlq-detail" aria-live="polite"></div>
  </section>
</main>
<dialog id="confirm" aria-labelledby="confirm-title">
  <form method="dialog">
    <h2 id="confirm-title">Redrive?</h2>
    <p id="confirm-text"></p>
    <div class="actions"><button value="cancel" autofocus>Cancel</button><button value="ok" class="danger" id="confirm-ok">Redrive</button></div>
  </form>
</dialog>
</body>
</html>
`;
