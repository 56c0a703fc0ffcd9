// Page-wide bits: toasts, dialogs, the "?" help, local times, keyboard helpers.
import { $, $$, h } from './dom.js';
import { formatDateTime } from './format.js';
import { renderMarkdownIn } from './markdown.js';

export function toast(message, { error = false, ms = 3500 } = {}) {
  const region = $('.toast-region');
  if (!region) return;
  const el = h('div', { class: error ? 'toast error' : 'toast' }, message);
  region.append(el);
  setTimeout(() => el.remove(), ms);
}

// Inputs that take no typed text: a key pressed on one (after clicking "Skip
// inactivity", say) is still a shortcut.
const KEYLESS_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'color']);

/** True when a key press belongs to a text field, not to our shortcuts. */
export function isTyping(event) {
  const el = event.target;
  if (!(el instanceof HTMLElement)) return false;
  if (el.tagName === 'INPUT') return !KEYLESS_INPUTS.has(el.type);
  return el.isContentEditable || /^(TEXTAREA|SELECT)$/.test(el.tagName);
}

export function isPlainKey(event) {
  return !event.ctrlKey && !event.metaKey && !event.altKey;
}

export function wireDialog(dialog) {
  for (const button of $$('[data-close]', dialog)) button.addEventListener('click', () => dialog.close());
  return dialog;
}

/** Show epoch-ms <time> elements in the reader's zone. The first Intl call costs tens
 * of milliseconds, so the player runs this after its first frame. */
export function localizeTimes() {
  for (const el of $$('time[data-epoch-ms]')) {
    const ms = Number(el.dataset.epochMs);
    if (ms) {
      el.textContent = formatDateTime(ms);
      el.dateTime = new Date(ms).toISOString();
    }
  }
}

function wireHelp() {
  const help = $('#help-dialog');
  if (!help) return;
  wireDialog(help);
  document.addEventListener('keydown', (event) => {
    if (event.key === '?' && !isTyping(event) && !document.querySelector('dialog[open]')) {
      event.preventDefault();
      help.showModal();
    }
  });
}

/** Run once per page, before the page's own module. */
export function initPage({ localizeNow = true } = {}) {
  if (localizeNow) localizeTimes();
  renderMarkdownIn(document);
  wireHelp();
}
