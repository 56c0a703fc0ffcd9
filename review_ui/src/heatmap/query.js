// The heatmap page's state as query strings and labels. Pure.

export const VIEWPORT_CLASSES = ['mobile', 'tablet', 'desktop'];

/** The API query of a heatmap: page or pattern, kind, and the optional filters. */
export function heatmapQuery({ url, kind, variant, viewport }, extra = {}) {
  const params = new URLSearchParams({ url, kind, ...extra });
  if (variant) params.set('variant', variant);
  if (viewport) params.set('viewport', viewport);
  return params.toString();
}

/** Exact widths worth offering beside the classes: the recorded ones, most common first. */
export function widthOptions(widths, limit = 8) {
  return widths.slice(0, limit).map(({ width, sessions }) => ({
    value: String(width), label: `${width} px (${sessions} session${sessions === 1 ? '' : 's'})`,
  }));
}

/** "62 % of visits saw this far" for page pixel `y`, from each visit's deepest pixel. */
export function depthAt(depths, y) {
  if (!depths.length) return 'Nobody scrolled this page yet.';
  const share = depths.filter((depth) => depth >= y).length / depths.length;
  return `${Math.round(share * 100)} % of ${depths.length} visit${depths.length === 1 ? '' : 's'} saw this far.`;
}
