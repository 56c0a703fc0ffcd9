// Per-URL statistics from GET /api/v1/pages, each row linking to its heatmap.
import { api } from '../lib/api.js';
import { $, h, readPageData } from '../lib/dom.js';
import { kindLabel, shortUrl } from '../lib/format.js';
import { initPage } from '../lib/ui.js';

initPage();
const { heatmapUrl } = readPageData();

function signalsCell(perVisit) {
  const entries = Object.entries(perVisit || {}).filter(([kind, rate]) => rate > 0 && kind !== 'dead_end');
  if (!entries.length) return h('span', { class: 'muted' }, '—');
  return h('div', { class: 'badges' }, entries.map(([kind, rate]) => h('span', { class: 'badge', 'data-kind': kind, title: `${kindLabel(kind)} per visit` }, `${kindLabel(kind)} ${rate.toFixed(2)}`)));
}

function row(page) {
  const rate = page.dead_end_rate || 0;
  const link = `${heatmapUrl}?url=${encodeURIComponent(page.url)}`;
  return h('tr', {},
    h('td', {}, h('a', { href: link, title: page.url, class: 'truncate', style: 'display:block;max-width:520px' }, shortUrl(page.url))),
    h('td', { class: 'num' }, page.visits),
    h('td', { class: 'num' }, page.sessions ?? '—'),
    h('td', {}, signalsCell(page.signals_per_visit)),
    h('td', { class: 'num nowrap' }, `${Math.round(rate * 100)}%`, h('span', { class: 'rate-bar', 'aria-hidden': 'true' }, h('i', { style: `width:${Math.round(rate * 100)}%` }))),
    h('td', {}, h('a', { class: 'button small', href: link }, 'Heatmap')));
}

async function load() {
  const status = $('#pages-status');
  try {
    const body = await api('/api/v1/pages');
    const pages = Array.isArray(body) ? body : body.pages || [];
    if (!pages.length) {
      status.textContent = 'No page visits recorded yet.';
      return;
    }
    $('#pages-table tbody').append(...pages.map(row));
    $('#pages-table').hidden = false;
    status.remove();
  } catch (error) {
    status.textContent = error.status === 404 ? 'Page statistics are not available on this server yet.' : error.message;
  }
}

load();
