// The note composer (N): text, tags, severity 1-4, at the moment the replay was paused.
import { api } from '../lib/api.js';
import { $ } from '../lib/dom.js';
import { formatOffset, parseTags } from '../lib/format.js';
import { toast, wireDialog } from '../lib/ui.js';

export function createNoteDialog({ sessionId, onSaved }) {
  const dialog = wireDialog($('#note-dialog'));
  const form = $('#note-form');
  let offset = 0;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const fields = new FormData(form);
    const body = {
      ts: offset,
      text: String(fields.get('text') || ''),
      tags: parseTags(fields.get('tags')),
      severity: Number(fields.get('severity') || 2),
    };
    if (!body.text.trim()) {
      $('#note-text').focus();
      return;
    }
    const save = $('#note-save');
    save.disabled = true;
    try {
      const note = await api(`/api/v1/sessions/${encodeURIComponent(sessionId)}/annotations`, { method: 'POST', body });
      dialog.close();
      form.reset();
      onSaved(note);
      toast(`Note saved at ${formatOffset(note.offset_ms)}`);
    } catch (error) {
      toast(error.message, { error: true });
    } finally {
      save.disabled = false;
    }
  });

  return {
    isOpen: () => dialog.open,
    open(atOffset) {
      offset = Math.max(0, Math.round(atOffset));
      $('#note-at').textContent = formatOffset(offset);
      dialog.showModal();
      $('#note-text').focus();
    },
  };
}
