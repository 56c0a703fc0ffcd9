// What a video frame of a clip shows besides the replay itself, as pure functions of
// the events and the moment: the click ripple (the clip page draws it from here, since
// rrweb animates its own only while playing, in wall-clock time, and a clip steps
// through paused moments) and the page the session was on.

const META = 4;
const INCREMENTAL = 3;
const MOUSE_INTERACTION = 2;
const CLICK = 2;
const DOUBLE_CLICK = 4;

/** How long a click's ripple grows and fades, in replay milliseconds. */
export const RIPPLE_MS = 600;

/** Clicks (and double clicks) in time order: [{ts, x, y}] in the recorded page's pixels. */
export function clicksOf(events) {
  const clicks = [];
  for (const event of events) {
    const data = event && event.data;
    if (event?.type !== INCREMENTAL || data?.source !== MOUSE_INTERACTION) continue;
    if (data.type !== CLICK && data.type !== DOUBLE_CLICK) continue;
    if (!Number.isFinite(data.x) || !Number.isFinite(data.y)) continue;
    clicks.push({ ts: event.timestamp, x: data.x, y: data.y });
  }
  return clicks.sort((a, b) => a.ts - b.ts);
}

/** Index of the last item whose ts is at or before `ts`, or -1 (items in time order). */
function lastAtOrBefore(items, ts) {
  let low = 0;
  let high = items.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (items[mid].ts <= ts) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

/**
 * The ripple to draw at `ts`: the latest click within RIPPLE_MS before it, with how far
 * its ripple has grown (0 at the click, 1 when it is gone); null when there is none.
 */
export function rippleAt(clicks, ts, duration = RIPPLE_MS) {
  const index = lastAtOrBefore(clicks, ts);
  if (index < 0) return null;
  const click = clicks[index];
  const elapsed = ts - click.ts;
  if (elapsed >= duration) return null;
  return { x: click.x, y: click.y, progress: elapsed / duration };
}

/** Size (px) and opacity of a ripple that has grown this far. */
export function rippleLook(progress) {
  const p = Math.min(1, Math.max(0, progress));
  return { size: Math.round(18 + 54 * p), opacity: Number((0.75 * (1 - p)).toFixed(3)) };
}

/** Page changes in time order: [{ts, href}] from the recording's meta events. */
export function pagesOf(events) {
  const pages = events.filter((e) => e?.type === META && typeof e.data?.href === 'string')
    .map((e) => ({ ts: e.timestamp, href: e.data.href }));
  return pages.sort((a, b) => a.ts - b.ts);
}

/** The page the session was on at `ts` ('' before the first). */
export function pageAt(pages, ts) {
  const index = lastAtOrBefore(pages, ts);
  return index < 0 ? (pages[0]?.href || '') : pages[index].href;
}

/** "shop.test/cart?step=2": host, path and query; what a viewer of the video needs. */
export function captionUrl(href) {
  try {
    const url = new URL(href);
    const path = url.pathname === '/' && !url.search ? '' : url.pathname + url.search;
    return url.host + path;
  } catch {
    return String(href || '');
  }
}
