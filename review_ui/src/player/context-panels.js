// The Console, Network and Events tabs of the side panel: lists fed by the session's
// context, filtered as the reviewer types, in step with the replay (the entry at or before
// the current moment is marked and kept in view of its list, never by scrolling the page
// or moving focus). Clicking an entry, or Enter on it, seeks there and opens its details.
import { $, append, clear, h } from '../lib/dom.js';
import { formatOffset } from '../lib/format.js';
import {
  CONSOLE_LEVELS, LEVEL_LABELS, NETWORK_FILTERS, compactPayload, filterConsole, filterEvents, filterNetwork,
  indexAtOrBefore, isFailed, isSdkTag, isSlow, levelCounts, requestLabel, scrollToReveal, statusClass, statusText,
  tagCounts, waterfallBar, waterfallNow, waterfallWindow, formatBytes, formatMs,
} from './context.js';

const FILTER_DELAY_MS = 120;
// After the reviewer scrolls a list by hand, it stops following the replay for a while.
const FOLLOW_PAUSE_MS = 4000;
const NAMES = ['console', 'network', 'events'];
// Keys that scroll a list (←/→ seek the replay instead, and keep it following).
const SCROLL_KEYS = new Set(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End']);

function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

function detailBlock(label, text) {
  return text ? h('div', { class: 'detail-block' }, h('div', { class: 'detail-label' }, label), h('pre', {}, text)) : null;
}

function headerLines(headers) {
  if (!headers || typeof headers !== 'object') return '';
  return Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\n');
}

export function createContextPanels({ startedAt, origin, onSeek }) {
  const filters = {
    console: { levels: [], text: '' },
    network: { status: 'all', text: '' },
    events: { choice: 'all', text: '' },
  };
  const panels = Object.fromEntries(NAMES.map((name) => [name, {
    name, list: $(`#list-${name}`), status: $(`#status-${name}`), all: [], shown: [], rows: [], current: -1, selected: null,
    followPausedUntil: 0,
  }]));
  let context = null;
  let now = startedAt;
  let lastNow = null;

  for (const panel of Object.values(panels)) {
    const pause = () => { panel.followPausedUntil = Date.now() + FOLLOW_PAUSE_MS; };
    panel.list.addEventListener('wheel', pause, { passive: true });
    panel.list.addEventListener('touchmove', pause, { passive: true });
    panel.list.addEventListener('keydown', (event) => { if (SCROLL_KEYS.has(event.key)) pause(); });
  }
  wireFilters();

  function wireFilters() {
    let timer = null;
    const later = (name) => {
      clearTimeout(timer);
      timer = setTimeout(() => show(name), FILTER_DELAY_MS);
    };
    $('#console-text').addEventListener('input', (event) => { filters.console.text = event.target.value; later('console'); });
    $('#network-text').addEventListener('input', (event) => { filters.network.text = event.target.value; later('network'); });
    $('#events-text').addEventListener('input', (event) => { filters.events.text = event.target.value; later('events'); });
    const status = $('#network-status');
    for (const [value, label] of NETWORK_FILTERS) status.append(new Option(label, value));
    status.addEventListener('change', () => { filters.network.status = status.value; show('network'); });
    $('#events-tag').addEventListener('change', (event) => { filters.events.choice = event.target.value; show('events'); });
  }

  function levelButtons(counts) {
    const group = clear($('#console-levels'));
    for (const level of CONSOLE_LEVELS) {
      if (!counts[level]) continue;
      group.append(h('button', {
        type: 'button', class: 'level-toggle', 'data-level': level, 'aria-pressed': 'false',
        title: `Show only ${LEVEL_LABELS[level].toLowerCase()} messages (combine several)`,
        onclick: (event) => {
          const button = event.currentTarget;
          const pressed = button.getAttribute('aria-pressed') !== 'true';
          button.setAttribute('aria-pressed', String(pressed));
          filters.console.levels = pressed ? [...filters.console.levels, level] : filters.console.levels.filter((l) => l !== level);
          show('console');
        },
      }, LEVEL_LABELS[level], h('span', { class: 'n' }, String(counts[level]))));
    }
  }

  function tagChoices(events) {
    const select = clear($('#events-tag'));
    select.append(new Option('All events', 'all'));
    if (events.some((event) => isSdkTag(event.tag))) select.append(new Option('Product events (no $)', 'product'));
    for (const { tag, count } of tagCounts(events)) select.append(new Option(`${tag} (${count})`, `tag:${tag}`));
  }

  function setTabCount(name, total, alert = '') {
    $(`#count-${name}`).textContent = String(total);
    $(`#count-${name}`).toggleAttribute('data-alert', Boolean(alert));
    $(`#alert-${name}`).textContent = alert ? `, ${alert}` : '';
    $(`#tab-${name}`).title = alert ? `${plural(total, 'entry', 'entries')}, ${alert}` : '';
  }

  function filtered(name) {
    if (name === 'console') return filterConsole(context.console, filters.console);
    if (name === 'network') return filterNetwork(context.network, { ...filters.network, slowMs: context.slowMs });
    const { choice, text } = filters.events;
    const tag = choice.startsWith('tag:') ? choice.slice(4) : '';
    return filterEvents(context.events, { tag, text, sdk: choice !== 'product' });
  }

  function entryButton(entry, panel, children, extra = {}) {
    const offset = entry.ts - startedAt;
    return h('button', {
      type: 'button', class: 'entry-button', ...extra,
      onclick: () => {
        select(panel, entry);
        onSeek(offset);
      },
    }, h('span', { class: 'at' }, formatOffset(offset)), h('span', { class: 'what' }, children));
  }

  function consoleRow(entry, panel) {
    const trace = entry.trace || [];
    return h('li', { class: 'entry', 'data-level': entry.level },
      entryButton(entry, panel, [
        h('span', { class: 'line' }, h('span', { class: 'level', 'data-level': entry.level }, LEVEL_LABELS[entry.level] || entry.level),
          h('span', { class: 'message' }, entry.message)),
        trace.length ? h('span', { class: 'detail truncate' }, trace[0]) : null,
      ], { title: [entry.message, ...trace].join('\n'), 'aria-expanded': 'false' }));
  }

  function networkRow(entry, panel, window) {
    const failed = isFailed(entry);
    const slow = isSlow(entry, context.slowMs);
    const bar = waterfallBar(entry, window);
    const barEl = h('span', { class: 'bar' });
    barEl.style.left = `${bar.left}%`;
    barEl.style.width = `${bar.width}%`;
    const marks = [failed ? 'failed' : null, slow ? `slow (≥ ${formatMs(context.slowMs)})` : null].filter(Boolean);
    const answered = statusClass(entry) !== 'none';
    return h('li', { class: 'entry', 'data-failed': failed || null, 'data-slow': slow || null, 'data-status-class': statusClass(entry) },
      entryButton(entry, panel, [
        h('span', { class: 'line' },
          // no response: a short mark here, the reason where the duration would be
          answered ? h('span', { class: 'status' }, String(entry.status))
            : h('span', { class: 'status' }, h('span', { 'aria-hidden': 'true' }, entry.error ? 'ERR' : '—'),
              h('span', { class: 'visually-hidden' }, entry.error ? 'No response' : 'Status hidden by the browser')),
          h('span', { class: 'method' }, entry.method || 'GET'),
          h('span', { class: 'url truncate' }, requestLabel(entry.url, origin))),
        h('span', { class: 'line timing' },
          h('span', { class: 'bar-track', 'aria-hidden': 'true' }, barEl),
          answered || entry.duration_ms !== null ? h('span', { class: 'duration' }, formatMs(entry.duration_ms)) : null,
          answered ? h('span', { class: 'size' }, formatBytes(entry.transfer_bytes)) : h('span', { class: 'error' }, statusText(entry))),
        marks.length ? h('span', { class: 'visually-hidden' }, `, ${marks.join(', ')}`) : null,
      ], { title: `${entry.method || 'GET'} ${entry.url}\n${statusText(entry)}${marks.length ? ` · ${marks.join(', ')}` : ''}`,
        'aria-expanded': 'false' }));
  }

  function eventRow(entry, panel) {
    const payload = compactPayload(entry.payload);
    return h('li', { class: 'entry', 'data-sdk': isSdkTag(entry.tag) || null },
      entryButton(entry, panel, [
        h('span', { class: 'line' }, h('span', { class: 'event-tag' }, entry.tag)),
        payload ? h('span', { class: 'payload' }, payload) : null,
      ], { title: payload ? `${entry.tag} ${compactPayload(entry.payload, 2000)}` : entry.tag, 'aria-expanded': payload ? 'false' : null }));
  }

  function details(panel, entry) {
    if (panel.name === 'console') {
      return [detailBlock('Message', entry.message), detailBlock('Stack', (entry.trace || []).join('\n'))];
    }
    if (panel.name === 'network') {
      return [
        detailBlock('URL', `${entry.method || 'GET'} ${entry.url}`),
        detailBlock('Result', [
          statusClass(entry) !== 'none' ? `Status ${entry.status}`
            : entry.error ? `No response: ${statusText(entry)}` : 'Status hidden by the browser (cross-origin)',
          entry.error && statusClass(entry) !== 'none' ? entry.error : null,
          entry.duration_ms !== null && entry.duration_ms !== undefined ? formatMs(entry.duration_ms) : null,
          Number.isFinite(entry.transfer_bytes) ? formatBytes(entry.transfer_bytes) : null,
          entry.initiator ? `by ${entry.initiator}` : null,
        ].filter(Boolean).join(' · ')),
        detailBlock('Request headers', headerLines(entry.request_headers)),
        detailBlock('Request body', entry.request_body),
        detailBlock('Response headers', headerLines(entry.response_headers)),
        detailBlock('Response body', entry.response_body),
      ];
    }
    let pretty;
    try { pretty = JSON.stringify(entry.payload, null, 2); } catch { pretty = String(entry.payload); }
    return [detailBlock('Payload', pretty && pretty !== '{}' ? pretty : '')];
  }

  /** Open one entry's details below it (closing the one open before). */
  function select(panel, entry) {
    const before = panel.shown.indexOf(panel.selected);
    if (before >= 0) {
      panel.rows[before].querySelector('.entry-detail')?.remove();
      panel.rows[before].firstChild.setAttribute('aria-expanded', 'false');
    }
    if (panel.selected === entry) {
      panel.selected = null;
      return;
    }
    panel.selected = entry;
    const index = panel.shown.indexOf(entry);
    if (index < 0) return;
    const shown = details(panel, entry).filter(Boolean);
    if (!shown.length) return;
    panel.rows[index].firstChild.setAttribute('aria-expanded', 'true');
    panel.rows[index].append(h('div', { class: 'entry-detail' }, shown));
  }

  function statusLine(name, panel) {
    const total = panel.all.length;
    const parts = [];
    if (!total) {
      parts.push({
        console: 'No console output recorded (the SDK keeps warnings and errors by default).',
        network: 'No requests recorded.',
        events: 'No custom events recorded.',
      }[name]);
    } else if (panel.shown.length !== total) {
      parts.push(panel.shown.length ? `${panel.shown.length} of ${total} shown.` : `None of ${total} match the filter.`);
    }
    if (context.truncated[name]) parts.push(`Only the first ${total} are listed.`);
    panel.status.textContent = parts.join(' ');
    panel.status.hidden = !parts.length;
  }

  /** (Re)draw one list after the context arrived or a filter changed. */
  function show(name) {
    const panel = panels[name];
    panel.shown = filtered(name);
    const window = name === 'network' ? waterfallWindow(panel.shown) : null;
    panel.window = window;
    const row = { console: consoleRow, network: (entry) => networkRow(entry, panel, window), events: eventRow }[name];
    panel.rows = panel.shown.map((entry) => row(entry, panel));
    append(clear(panel.list), panel.rows);
    panel.current = -1;
    const selected = panel.selected;
    panel.selected = null;
    if (selected && panel.shown.includes(selected)) select(panel, selected);
    statusLine(name, panel);
    follow(panel, { force: true });
    if (name === 'network') {
      lastNow = null; // a new window: the line at the moment moves even while paused
      moveNowLine();
    }
  }

  function isVisible(panel) {
    return !panel.list.closest('[role="tabpanel"]').hidden;
  }

  /** Mark the entry at or before the current moment; keep it in view of its list. */
  function follow(panel, { force = false } = {}) {
    const index = indexAtOrBefore(panel.shown, now);
    if (index !== panel.current) {
      const before = panel.rows[panel.current];
      before?.classList.remove('current');
      before?.firstChild.removeAttribute('aria-current');
      panel.current = index;
      const row = panel.rows[index];
      row?.classList.add('current');
      row?.firstChild.setAttribute('aria-current', 'time');
      force = true;
    }
    if (!force || panel.current < 0 || !isVisible(panel) || Date.now() < panel.followPausedUntil) return;
    const row = panel.rows[panel.current];
    const top = panel.list.scrollTop;
    const reveal = scrollToReveal({ top: row.offsetTop, height: row.offsetHeight },
      { scrollTop: top, height: panel.list.clientHeight });
    if (reveal !== null) panel.list.scrollTop = reveal;
  }

  function moveNowLine() {
    const panel = panels.network;
    const at = waterfallNow(now, panel.window);
    const rounded = at === null ? null : Math.round(at * 10) / 10;
    if (rounded === lastNow) return;
    lastNow = rounded;
    if (rounded === null) panel.list.style.removeProperty('--now');
    else panel.list.style.setProperty('--now', `${rounded}%`);
    panel.list.toggleAttribute('data-now', rounded !== null);
  }

  return {
    /** The context arrived: counts on the tabs, filter choices, the lists. */
    render(raw) {
      context = raw;
      const levels = levelCounts(context.console);
      const failed = context.network.filter(isFailed).length;
      setTabCount('console', context.console.length, levels.error ? plural(levels.error, 'error') : '');
      setTabCount('network', context.network.length, failed ? `${failed} failed` : '');
      setTabCount('events', context.events.length);
      for (const name of NAMES) panels[name].all = context[name];
      levelButtons(levels);
      tagChoices(context.events);
      for (const name of NAMES) show(name);
    },
    /** The context could not be read: say so in each panel. */
    fail(message) {
      for (const name of NAMES) $(`#count-${name}`).textContent = '–';
      for (const panel of Object.values(panels)) {
        panel.status.textContent = message;
        panel.status.hidden = false;
      }
    },
    /** The replay moved to `ts` (epoch ms). Cheap: a binary search per list. */
    setTime(ts) {
      now = ts;
      if (!context) return;
      for (const panel of Object.values(panels)) follow(panel);
      moveNowLine();
    },
    /** A tab became visible: bring its current entry into view. */
    shown(name) {
      if (context && panels[name]) follow(panels[name], { force: true });
    },
  };
}
