// A study: add participants (and copy their invite links), add tasks, clip task attempts.
import { api } from '../lib/api.js';
import { $, $$, h, readPageData } from '../lib/dom.js';
import { initPage, toast } from '../lib/ui.js';
import { clipStatus, fileUrl, followClip } from '../player/clip-progress.js';

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

// ---- clips of task attempts (POST /api/v1/sessions/<id>/clips, rendered in the background) ----

async function makeClip(button) {
  const state = button.nextElementSibling;
  const { session, from, to, caption } = button.dataset;
  button.disabled = true;
  try {
    const clip = await api(`/api/v1/sessions/${encodeURIComponent(session)}/clips`, {
      method: 'POST', body: { from: Number(from), to: Number(to), caption, format: 'mp4' },
    });
    const done = await followClip(clip, { get: (url) => api(url), onUpdate: (shown) => { state.textContent = clipStatus(shown); } });
    if (done.state === 'done') {
      state.replaceChildren(h('a', { href: fileUrl(done), download: '' }, `Download ${clipStatus(done).replace('Ready: ', '')}`));
    }
  } catch (error) {
    state.textContent = '';
    toast(error.message, { error: true });
  } finally {
    button.disabled = false;
  }
}

for (const button of $$('.make-clip')) button.addEventListener('click', () => makeClip(button));
