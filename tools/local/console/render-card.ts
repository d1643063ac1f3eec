import type { Button, CliqMessage, Slide } from '../../../lib/cliq/message';
import { escapeHtml, externalLink, renderInline, renderMarkup, safeUrl } from './markup';

/**
 * A Cliq message as Cliq shows it in a channel: the text (the notification line, with its markup), then the
 * card with its title, slides and buttons (specs/zoho-cliq.md, Message body). The one HTML renderer of
 * Vigil's messages: the console, `npm run cards` and the tests all use it. Images are never fetched (the
 * console loads nothing from the internet): an image is shown as a link to it.
 */

const slideTitle = (slide: Slide): string =>
  slide.title === undefined || slide.title === ''
    ? ''
    : `<h4 class="cliq-slide-title">${renderInline(slide.title)}</h4>`;

const imageLink = (url: string): string => {
  const target = safeUrl(url);
  const label = `🖼 ${escapeHtml(url.replace(/^https?:\/\//, '').slice(0, 60))}`;
  return target === undefined ? `<span class="cliq-image">${label}</span>` : externalLink(target, label);
};

const slideBody = (slide: Slide): string => {
  switch (slide.type) {
    case 'label':
      return `<dl class="cliq-labels">${slide.data
        .flatMap((entry) =>
          Object.entries(entry).map(
            ([label, value]) =>
              `<div class="cliq-label"><dt>${renderInline(label)}</dt><dd>${renderInline(value)}</dd></div>`,
          ),
        )
        .join('')}</dl>`;
    case 'table':
      return `<div class="cliq-table-wrap"><table class="cliq-table"><thead><tr>${slide.data.headers
        .map((header) => `<th scope="col">${renderInline(header)}</th>`)
        .join('')}</tr></thead><tbody>${slide.data.rows
        .map(
          (row) =>
            `<tr>${slide.data.headers.map((header) => `<td>${renderInline(row[header] ?? '')}</td>`).join('')}</tr>`,
        )
        .join('')}</tbody></table></div>`;
    case 'list':
      return `<ul class="cliq-list">${slide.data.map((item) => `<li>${renderInline(item)}</li>`).join('')}</ul>`;
    case 'text':
      return `<div class="cliq-text-slide">${renderMarkup(slide.data)}</div>`;
    case 'images':
      return `<ul class="cliq-images">${slide.data.map((url) => `<li>${imageLink(url)}</li>`).join('')}</ul>`;
  }
};

const renderSlide = (slide: Slide): string =>
  `<section class="cliq-slide cliq-slide-${escapeHtml(slide.type)}">${slideTitle(slide)}${slideBody(slide)}</section>`;

const renderButton = (button: Button): string => {
  const kind = button.type === '+' ? ' cliq-button-plus' : button.type === '-' ? ' cliq-button-minus' : '';
  const hint = button.hint === undefined ? '' : ` title="${escapeHtml(button.hint)}"`;
  const target = safeUrl(button.action.data.web);
  const label = escapeHtml(button.label);
  return target === undefined
    ? `<span class="cliq-button${kind}"${hint}>${label}</span>`
    : `<a class="cliq-button${kind}" href="${escapeHtml(target)}"${hint} target="_blank" rel="noopener noreferrer">${label}</a>`;
};

const renderBot = (bot: CliqMessage['bot']): string =>
  `<div class="cliq-sender"><span class="cliq-avatar" aria-hidden="true">${escapeHtml(
    [...(bot?.name ?? 'Vigil')][0] ?? 'V',
  )}</span><span class="cliq-bot-name">${escapeHtml(bot?.name ?? 'Vigil')}</span></div>`;

/** One message as HTML; every piece of its text goes through Cliq's markup rules and HTML escaping. */
export const renderMessage = (message: CliqMessage): string => {
  const card = message.card;
  const slides = message.slides ?? [];
  const buttons = message.buttons ?? [];
  const hasCard = card !== undefined || slides.length > 0 || buttons.length > 0;
  const theme = escapeHtml(card?.theme ?? 'default');
  const thread =
    message.thread_message_id === undefined
      ? ''
      : `<div class="cliq-thread-note">reply in thread${message.post_in_parent ? ', also sent to the channel' : ''}</div>`;
  const cardHtml = hasCard
    ? `<div class="cliq-card cliq-theme-${theme}">${
        card?.title === undefined ? '' : `<div class="cliq-card-title">${renderInline(card.title)}</div>`
      }${slides.map(renderSlide).join('')}${
        buttons.length === 0 ? '' : `<div class="cliq-buttons">${buttons.map(renderButton).join('')}</div>`
      }</div>`
    : '';
  return `<article class="cliq-message">${renderBot(message.bot)}${thread}<div class="cliq-text">${renderMarkup(
    message.text,
  )}</div>${cardHtml}</article>`;
};
