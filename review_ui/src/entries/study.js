// A study: add participants (and copy their invite links), add tasks.
import { api } from '../lib/api.js';
import { $, $$, readPageData } from '../lib/dom.js';
import { initPage, toast } from '../lib/ui.js';

initPage();
const { study } = readPageData();
const base = `/api/v1/studies/${study.id}`;

async function copyInvite(button) {
  const input = button.closest('.copy-row').querySelector('input');
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    document.execCommand('copy'); // no clipboard permission (e.g. plain http): the selection still works
  }
  button.textContent = 'Copied';
  toast('Invite link copied.');
  setTimeout(() => { button.textContent = 'Copy'; }, 2000);
}

for (const button of $$('.copy-invite')) button.addEventListener('click', () => copyInvite(button));

$('#participant-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await api(`${base}/participants`, { method: 'POST', body: { label: event.target.elements.label.value.trim() } });
    window.location.reload();
  } catch (error) {
    toast(error.message, { error: true });
  }
});

$('#task-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const fields = event.target.elements;
  const body = { title: fields.title.value.trim(), instructions: fields.instructions.value.trim() };
  if (fields.success_url.value.trim()) body.success_url = fields.success_url.value.trim();
  if (fields.success_event.value.trim()) body.success_event = fields.success_event.value.trim();
  try {
    await api(`${base}/tasks`, { method: 'POST', body });
    window.location.reload();
  } catch (error) {
    toast(error.message, { error: true });
  }
});
