// The player's Clip dialog: a range (the current moment −5 s … +5 s unless changed),
// a format and a caption → POST /api/v1/sessions/<id>/clips; then the render's progress
// and, once done, a download link. The server reads the moments (0:17, 17s, 17000) and
// names what is wrong with them.
import { api } from '../lib/api.js';
import { $ } from '../lib/dom.js';
import { toast, wireDialog } from '../lib/ui.js';
import { followClip, rangeFields, showClip } from './clip-progress.js';

export function createClipDialog({ sessionId, duration }) {
  const dialog = wireDialog($('#clip-dialog'));
  const form = $('#clip-form');
  const make = $('#clip-make');
  const view = { status: $('#clip-status'), bar: $('#clip-bar'), link: $('#clip-download') };
  let following = null; // aborts the current follow when the dialog opens again

  function reset() {
    following?.abort();
    following = null;
    $('#clip-result').hidden = true;
    view.status.textContent = '';
    make.disabled = false;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const fields = new FormData(form);
    const body = {
      from: String(fields.get('from') || '').trim(),
      to: String(fields.get('to') || '').trim(),
      format: String(fields.get('format') || 'mp4'),
      caption: String(fields.get('caption') || '').trim(),
    };
    make.disabled = true;
    try {
      const clip = await api(`/api/v1/sessions/${encodeURIComponent(sessionId)}/clips`, { method: 'POST', body });
      $('#clip-result').hidden = false;
      following = new AbortController();
      const done = await followClip(clip, { get: (url) => api(url), onUpdate: (c) => showClip(view, c), signal: following.signal });
      if (done.state === 'done') view.link.focus();
    } catch (error) {
      toast(error.message, { error: true });
    } finally {
      make.disabled = false;
    }
  });

  /** Open at the moment `offset` (ms into the session). */
  function open(offset) {
    reset();
    const range = rangeFields(offset, duration);
    $('#clip-from').value = range.from;
    $('#clip-to').value = range.to;
    dialog.showModal();
    $('#clip-from').focus();
  }

  return { open };
}
