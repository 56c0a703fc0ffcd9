// Video clips from the review UI: the range a new clip covers by default, the words for
// a clip's state, and following a clip the server renders in the background until it
// is done or failed (GET /api/v1/clips/<id>). Used by the player's Clip dialog and a
// finding's Highlight reel button.
import { formatOffset } from '../lib/format.js';

/** A clip around the moment: 5 s before to 5 s after, within the session. */
export const AROUND_MS = 5_000;
export const POLL_MS = 700;

export function rangeAround(offset, duration) {
  const at = Math.max(0, Math.min(duration, Math.round(offset || 0)));
  return { from: Math.max(0, at - AROUND_MS), to: Math.min(duration, at + AROUND_MS) };
}

/** The dialog's defaults, as people type moments: "0:12" (whole seconds, never past the end). */
export function rangeFields(offset, duration) {
  const { from, to } = rangeAround(offset, duration);
  return { from: formatOffset(from), to: formatOffset(to) };
}

function size(bytes) {
  if (!Number.isFinite(bytes)) return '';
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** One line for a clip's state: "Queued…", "Rendering… 45%", "Ready: 0:08 MP4, 96 KB", "Failed: why". */
export function clipStatus(clip) {
  if (!clip) return '';
  if (clip.state === 'queued') return 'Queued…';
  if (clip.state === 'rendering') return `Rendering… ${Math.floor((clip.progress || 0) * 100)}%`;
  if (clip.state === 'failed') return `Failed: ${clip.error || 'the clip could not be rendered.'}`;
  return `Ready: ${formatOffset(clip.duration_ms)} ${String(clip.format).toUpperCase()}, ${size(clip.size)}`;
}

export function isFinished(clip) {
  return clip.state === 'done' || clip.state === 'failed';
}

/** Where the video downloads from (same origin). */
export function fileUrl(clip) {
  return `/api/v1/clips/${encodeURIComponent(clip.id)}/file`;
}

/**
 * Ask for the clip's state every POLL_MS until it is done or failed; `onUpdate(clip)`
 * hears each answer. Resolves with the last one. `get` is the API call (injectable).
 */
export async function followClip(clip, { get, onUpdate, wait = (ms) => new Promise((r) => setTimeout(r, ms)), signal } = {}) {
  let current = clip;
  onUpdate?.(current);
  while (!isFinished(current)) {
    await wait(POLL_MS);
    if (signal?.aborted) return current;
    current = await get(`/api/v1/clips/${encodeURIComponent(current.id)}`);
    onUpdate?.(current);
  }
  return current;
}

/** Show a clip's state in a status line, a progress bar and a download link. */
export function showClip({ status, bar, link }, clip) {
  status.textContent = clipStatus(clip);
  status.classList.toggle('error', clip?.state === 'failed');
  const done = clip?.state === 'done';
  bar.hidden = !clip || isFinished(clip);
  bar.value = clip?.progress || 0;
  link.hidden = !done;
  if (done) {
    link.href = fileUrl(clip);
    link.setAttribute('download', `replaydesk-clip-${clip.id}.${clip.format}`);
  }
}
