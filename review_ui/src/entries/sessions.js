// The session list: whole rows open the session; J/K move, Enter opens, / searches notes.
import { $, $$ } from '../lib/dom.js';
import { initPage, isPlainKey, isTyping } from '../lib/ui.js';
import { wireSavedViews } from '../sessions/saved-views.js';

initPage();
wireSavedViews();
// On a phone the filters would push the sessions a screen down: folded, one tap away.
if (window.matchMedia('(max-width: 860px)').matches) $('#filters-details').open = false;
const rows = $$('table.sessions tbody tr');
let current = -1;

for (const row of rows) {
  row.addEventListener('click', (event) => {
    if (!event.target.closest('a, button, input')) window.location.assign(row.dataset.href);
  });
}

function select(index) {
  if (!rows.length) return;
  current = Math.max(0, Math.min(rows.length - 1, index));
  rows.forEach((row, n) => row.classList.toggle('selected', n === current));
  rows[current].querySelector('a').focus();
}

document.addEventListener('keydown', (event) => {
  if (isTyping(event) || !isPlainKey(event) || document.querySelector('dialog[open]')) return;
  if (event.key === 'j') select(current + 1);
  else if (event.key === 'k') select(current - 1);
  else if (event.key === '/') {
    event.preventDefault();
    $('#f-q').focus();
  } else return;
  event.preventDefault();
});
