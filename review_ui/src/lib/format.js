// Small, pure formatting helpers shared by every page.

/** "1:23" or "1:02:03" for milliseconds into a session. */
export function formatOffset(ms) {
  const total = Math.max(0, Math.floor((ms || 0) / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** Path and query of a URL: what tells pages of one product apart. */
export function shortUrl(url) {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url || '—';
  }
}

export function kindLabel(kind) {
  const text = String(kind || '').replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Tags typed as "checkout, Feedback ,," → ["checkout", "Feedback"]. */
export function parseTags(text) {
  return String(text || '').split(',').map((tag) => tag.trim()).filter(Boolean);
}

export function formatDateTime(epochMs) {
  return new Date(epochMs).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
