// One finding: edit its fields, remove evidence, delete it, make a highlight reel.
import { api } from '../lib/api.js';
import { $, $$, readPageData } from '../lib/dom.js';
import { parseTags } from '../lib/format.js';
import { initPage, toast } from '../lib/ui.js';
import { followClip, showClip } from '../player/clip-progress.js';

initPage();
const { finding } = readPageData();
const url = `/api/v1/findings/${finding.id}`;

$('#finding-edit').addEventListener('submit', async (event) => {
  event.preventDefault();
  const fields = new FormData(event.target);
  const body = {
    title: String(fields.get('title') || ''),
    description: String(fields.get('description') || ''),
    status: String(fields.get('status')),
    severity: Number(fields.get('severity')),
    tags: parseTags(fields.get('tags')),
    variant: String(fields.get('variant') || '').trim() || null,
  };
  try {
    await api(url, { method: 'PATCH', body });
    window.location.reload();
  } catch (error) {
    toast(error.message, { error: true });
  }
});

for (const button of $$('.remove-clip')) {
  button.addEventListener('click', async () => {
    const evidence = finding.evidence.filter((id) => id !== Number(button.dataset.annotation));
    try {
      await api(url, { method: 'PATCH', body: { evidence } });
      window.location.reload();
    } catch (error) {
      toast(error.message, { error: true });
    }
  });
}

$('#delete-finding').addEventListener('click', async () => {
  if (!window.confirm('Delete this finding? Its notes stay.')) return;
  try {
    await api(url, { method: 'DELETE' });
    window.location.assign('/findings');
  } catch (error) {
    toast(error.message, { error: true });
  }
});

/** The highlight reel: the latest one made (if any) on opening, a new one on the button. */
async function showReel(clip) {
  const view = { status: $('#reel-status'), bar: $('#reel-progress'), link: $('#reel-download') };
  $('#reel-result').hidden = false;
  await followClip(clip, { get: (path) => api(path), onUpdate: (current) => showClip(view, current) });
}

const reelButton = $('#make-reel');
if (reelButton) {
  reelButton.addEventListener('click', async () => {
    reelButton.disabled = true;
    try {
      const clip = await api(`${url}/clips`, { method: 'POST', body: { format: $('#reel-format').value } });
      if (clip.left_out) toast(`The reel shows the first ${clip.segments.length} notes; ${clip.left_out} more did not fit.`);
      await showReel(clip);
    } catch (error) {
      toast(error.message, { error: true });
    } finally {
      reelButton.disabled = false;
    }
  });
  api(`${url}/clips`).then(({ clips }) => clips.length && showReel(clips[0])).catch(() => {});
}
