// The player's notes: the Notes tab and the note markers on the timeline, kept in step
// as notes are added (N), edited, deleted, or copied as links to their moment.
import { api } from '../lib/api.js';
import { copyText } from '../lib/clipboard.js';
import { formatOffset } from '../lib/format.js';
import { toast } from '../lib/ui.js';
import { noteMarker } from './markers.js';
import { momentUrl } from './moment-link.js';
import { createNoteDialog } from './note-dialog.js';
import { renderNotes, selectTab } from './panel.js';

/** Copy the player's address at `offset` and say so. */
export async function copyMomentLink(sessionId, offset) {
  const url = momentUrl(location.origin, sessionId, offset);
  try {
    await copyText(url);
    toast(`Copied a link to ${formatOffset(offset)}: ${url}`);
  } catch (error) {
    toast(error.message, { error: true });
  }
}

export function createNotes({ session, timeline, onSeek }) {
  const startedAt = session.started_at;
  const notes = [...session.annotations];

  function show() {
    renderNotes(notes, startedAt, {
      onSeek,
      onDelete: remove,
      onEdit: (note) => dialog.edit(note, note.ts - startedAt),
      onCopyLink: (note) => copyMomentLink(session.id, note.ts - startedAt),
    });
  }

  function add(note) {
    notes.push(note);
    timeline.addMarker(noteMarker(note, startedAt));
    show();
    selectTab('notes');
  }

  function replace(old, note) {
    notes[notes.indexOf(old)] = note;
    timeline.removeMarker(`note-${old.id}`);
    timeline.addMarker(noteMarker(note, startedAt));
    show();
  }

  async function remove(note) {
    if (!window.confirm('Delete this note?')) return;
    try {
      await api(`/api/v1/annotations/${note.id}`, { method: 'DELETE' });
      notes.splice(notes.indexOf(note), 1);
      timeline.removeMarker(`note-${note.id}`);
      show();
    } catch (error) {
      toast(error.message, { error: true });
    }
  }

  const dialog = createNoteDialog({ sessionId: session.id, onSaved: add, onEdited: replace });
  return { notes, show, open: (offset) => dialog.open(offset) };
}
