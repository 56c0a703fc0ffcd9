// The note composer (N): text, tags, severity 1-4, at the moment the replay was paused.
// The same dialog edits a note (PATCH): its text, tags and severity; the moment stays.
import { api } from '../lib/api.js';
import { $ } from '../lib/dom.js';
import { formatOffset, parseTags } from '../lib/format.js';
import { toast, wireDialog } from '../lib/ui.js';

export function createNoteDialog({ sessionId, onSaved, onEdited }) {
  const dialog = wireDialog($('#note-dialog'));
  const form = $('#note-form');
  let offset = 0;
  let editing = null; // the note being edited, or null for a new one

  function save(body) {
    if (editing) return api(`/api/v1/annotations/${editing.id}`, { method: 'PATCH', body: { text: body.text, tags: body.tags, severity: body.severity } });
    return api(`/api/v1/sessions/${encodeURIComponent(sessionId)}/annotations`, { method: 'POST', body });
  }

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
    const button = $('#note-save');
    button.disabled = true;
    try {
      const note = await save(body);
      const wasEditing = editing;
      dialog.close();
      form.reset();
      editing = null;
      if (wasEditing) {
        onEdited(wasEditing, note);
        toast('Note updated');
      } else {
        onSaved(note);
        toast(`Note saved at ${formatOffset(note.offset_ms)}`);
      }
    } catch (error) {
      toast(error.message, { error: true });
    } finally {
      button.disabled = false;
    }
  });
  dialog.addEventListener('close', () => {
    if (!editing) return;
    editing = null;
    form.reset();
  });

  function show(title, atOffset) {
    offset = Math.max(0, Math.round(atOffset));
    $('#note-heading').textContent = title;
    $('#note-at').textContent = formatOffset(offset);
    $('#note-save').textContent = editing ? 'Save changes' : 'Save note';
    dialog.showModal();
    $('#note-text').focus();
  }

  return {
    isOpen: () => dialog.open,
    open(atOffset) {
      editing = null;
      show('Note at', atOffset);
    },
    edit(note, atOffset) {
      editing = note;
      form.reset();
      $('#note-text').value = note.text;
      $('#note-tags').value = note.tags.join(', ');
      const severity = form.querySelector(`input[name="severity"][value="${note.severity}"]`);
      if (severity) severity.checked = true;
      show('Edit the note at', atOffset);
    },
  };
}
