// The side panel: tabs with the session's signals, pages and notes (and the engineer's
// context, context-panels.js). Items seek on click.
import { $, $$, clear, h } from '../lib/dom.js';
import { formatOffset, kindLabel, shortUrl } from '../lib/format.js';
import { renderMarkdown } from '../lib/markdown.js';
import { signalRequestText } from './markers.js';

let onTabShown = () => {};

/** Tabs switch panels on click; `onShown(name)` hears which panel became visible. */
export function wireTabs(onShown = () => {}) {
  onTabShown = onShown;
  const tabs = $$('[role="tab"]');
  for (const tab of tabs) {
    tab.addEventListener('click', () => selectTab(tab.id.replace('tab-', '')));
  }
}

export function selectTab(name) {
  for (const tab of $$('[role="tab"]')) {
    const selected = tab.id === `tab-${name}`;
    tab.setAttribute('aria-selected', String(selected));
    document.getElementById(tab.getAttribute('aria-controls')).hidden = !selected;
  }
  onTabShown(name);
}

function item({ offset, onSeek, children, dataset = {} }) {
  return h('li', {
    class: 'item', tabindex: '0', dataset: { offset: String(offset), ...dataset },
    onclick: (event) => { if (!event.target.closest('button, a')) onSeek(offset); },
    onkeydown: (event) => { if (event.key === 'Enter' && event.target === event.currentTarget) onSeek(offset); },
  }, h('span', { class: 'at' }, formatOffset(offset)), h('div', { class: 'what' }, children));
}

function setCount(name, n) {
  $(`#count-${name}`).textContent = String(n);
}

export function renderSignals(signals, startedAt, onSeek) {
  const list = clear($('#list-signals'));
  setCount('signals', signals.length);
  if (!signals.length) list.append(h('li', { class: 'empty small' }, 'No frustration signals in this session.'));
  for (const signal of signals) {
    const target = signal.target?.selector || '';
    const text = signal.target?.text ? `“${signal.target.text}”` : '';
    list.append(item({
      offset: signal.ts - startedAt, onSeek,
      children: [
        h('div', { class: 'line' }, h('span', { class: 'badge', 'data-kind': signal.kind }, kindLabel(signal.kind)),
          signal.count > 1 ? h('span', { class: 'muted small' }, `×${signal.count}`) : null),
        h('div', { class: 'detail' }, [target, text].filter(Boolean).join(' ')),
        h('div', { class: 'detail' }, shortUrl(signal.url)),
        signalRequestText(signal) ? h('div', { class: 'detail failed-request' }, signalRequestText(signal)) : null,
      ],
    }));
  }
}

export function renderPages(pages, startedAt, onSeek) {
  const list = clear($('#list-pages'));
  setCount('pages', pages.length);
  pages.forEach((page, index) => {
    const dwell = Math.max(0, page.left - page.entered);
    list.append(item({
      offset: page.entered - startedAt, onSeek, dataset: { page: String(index) },
      children: [
        h('div', { class: 'line' }, h('strong', { class: 'truncate', title: page.url }, shortUrl(page.url))),
        h('div', { class: 'detail' }, [page.title, `${formatOffset(dwell)} on page`].filter(Boolean).join(' · ')),
      ],
    }));
  });
}

let currentPageIndex = -1;

/** Highlight the page the replay is on (called every animation frame while playing:
 * a binary search and at most two class changes). */
export function markCurrentPage(pages, startedAt, offset) {
  const ts = startedAt + offset;
  let low = 0;
  let high = pages.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (pages[mid].entered <= ts) { found = mid; low = mid + 1; } else high = mid - 1;
  }
  if (found === currentPageIndex) return;
  const items = $('#list-pages').children;
  items[currentPageIndex]?.classList.remove('current');
  items[found]?.classList.add('current');
  currentPageIndex = found;
}

export function renderNotes(notes, startedAt, { onSeek, onDelete, onEdit, onCopyLink }) {
  const list = clear($('#list-notes'));
  setCount('notes', notes.length);
  if (!notes.length) list.append(h('li', { class: 'empty small' }, 'No notes yet. Press N to note the current moment.'));
  for (const note of [...notes].sort((a, b) => a.ts - b.ts)) {
    list.append(item({
      offset: note.ts - startedAt, onSeek, dataset: { note: String(note.id) },
      children: [
        h('div', { class: 'line' }, h('span', { class: 'severity', 'data-severity': String(note.severity) }, `S${note.severity}`),
          note.tags.map((tag) => h('span', { class: 'tag' }, tag))),
        h('div', { class: 'note-text' }, renderMarkdown(note.text)),
        h('div', { class: 'item-actions' }, h('span', { class: 'muted' }, note.author),
          note.finding_id ? h('a', { href: `/findings/${note.finding_id}` }, 'In a finding') : null,
          h('button', { type: 'button', class: 'linkish', onclick: () => onCopyLink(note) }, 'Copy link'),
          h('button', { type: 'button', class: 'linkish', onclick: () => onEdit(note) }, 'Edit'),
          h('button', { type: 'button', class: 'linkish', onclick: () => onDelete(note) }, 'Delete')),
      ],
    }));
  }
}
