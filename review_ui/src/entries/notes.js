// The notes inbox: select notes from any sessions and group them into a finding.
import { api } from '../lib/api.js';
import { $, $$ } from '../lib/dom.js';
import { parseTags } from '../lib/format.js';
import { initPage, toast, wireDialog } from '../lib/ui.js';

initPage();
const picks = $$('input.pick');
const bar = $('#selection-bar');
const findingDialog = wireDialog($('#finding-dialog'));
const attachDialog = $('#attach-dialog') ? wireDialog($('#attach-dialog')) : null;

function selectedIds() {
  return picks.filter((box) => box.checked).map((box) => Number(box.value));
}

function updateBar() {
  const n = selectedIds().length;
  bar.hidden = n === 0;
  $('#selection-count').textContent = `${n} note${n === 1 ? '' : 's'} selected`;
}

for (const box of picks) box.addEventListener('change', updateBar);

$('#new-finding')?.addEventListener('click', () => {
  const n = selectedIds().length;
  $('#finding-evidence-count').textContent = `${n} note${n === 1 ? '' : 's'} will be its evidence.`;
  findingDialog.showModal();
  $('#finding-title').focus();
});

$('#finding-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const fields = new FormData(event.target);
  const body = {
    title: String(fields.get('title') || ''),
    description: String(fields.get('description') || ''),
    severity: Number(fields.get('severity')),
    status: String(fields.get('status')),
    tags: parseTags(fields.get('tags')),
    variant: String(fields.get('variant') || '').trim() || null,
    evidence: selectedIds(),
  };
  try {
    const finding = await api('/api/v1/findings', { method: 'POST', body });
    window.location.assign(`/findings/${finding.id}`);
  } catch (error) {
    toast(error.message, { error: true });
  }
});

$('#add-to-finding')?.addEventListener('click', () => attachDialog.showModal());

$('#attach-form')?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const findingId = Number(new FormData(event.target).get('finding'));
  try {
    const finding = await api(`/api/v1/findings/${findingId}`);
    const evidence = [...new Set([...finding.evidence, ...selectedIds()])];
    await api(`/api/v1/findings/${findingId}`, { method: 'PATCH', body: { evidence } });
    window.location.assign(`/findings/${findingId}`);
  } catch (error) {
    toast(error.message, { error: true });
  }
});
