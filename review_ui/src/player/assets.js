// Point a recording's stylesheets, fonts and images at the server's cached copies, so a
// replay keeps its look after the recorded site changed or went away. `map` is
// {original URL: our path} (GET /api/v1/sessions/<id>/assets); the one module every
// replay uses (player, share links, heatmap backdrops, live rooms). Events are rewritten
// in place: they are freshly parsed JSON that nothing else holds, and copying hours of
// events would cost more.

import { holdCanvasSnapshots } from './canvas.js';

const URL_IN_CSS = /url\(\s*(['"]?)([^'")\s]+)\1\s*\)/gi;
const IMPORT_STRING = /@import\s+(['"])([^'"]+)\1/gi;
const FULL_SNAPSHOT = 2;
const INCREMENTAL = 3;
const MUTATION = 0;
const STYLESHEET_RULE = 8;
const STYLE_DECLARATION = 13;
const ADOPTED_STYLESHEET = 15;
// Attributes holding one URL: stylesheets (link href), images (img/input src, video
// poster, SVG <image href>, the old background attribute).
const URL_ATTRIBUTES = ['href', 'src', 'poster', 'background', 'xlink:href'];

/** Our path for `url` (an SVG sprite's #fragment kept), or undefined. */
function cachedPath(url, map) {
  if (map[url]) return map[url];
  const hash = url.indexOf('#');
  return hash > 0 && map[url.slice(0, hash)] ? map[url.slice(0, hash)] + url.slice(hash) : undefined;
}

export function rewriteCss(css, map) {
  if (typeof css !== 'string' || !css) return css;
  return css
    .replace(URL_IN_CSS, (whole, quote, url) => { const path = cachedPath(url, map); return path ? `url("${path}")` : whole; })
    .replace(IMPORT_STRING, (whole, quote, url) => (map[url] ? `@import "${map[url]}"` : whole));
}

/** A srcset with its cached candidates rewritten. Uncached ones are dropped when some are
 * cached: the browser may pick any candidate, and a dead one would show nothing. */
export function rewriteSrcset(srcset, map) {
  if (typeof srcset !== 'string' || !srcset) return srcset;
  const candidates = srcset.split(',').map((candidate) => candidate.trim()).filter(Boolean)
    .map((candidate) => { const [url, ...descriptor] = candidate.split(/\s+/); return { url, descriptor, path: map[url] }; });
  const cached = candidates.filter((candidate) => candidate.path);
  if (!cached.length) return srcset;
  return cached.map(({ path, descriptor }) => [path, ...descriptor].join(' ')).join(', ');
}

/** A style attribute: text, or in mutations {property: value | [value, priority] | false}. */
function rewriteStyle(style, map) {
  if (typeof style === 'string') return rewriteCss(style, map);
  if (style && typeof style === 'object') {
    for (const [property, value] of Object.entries(style)) {
      if (typeof value === 'string') style[property] = rewriteCss(value, map);
      else if (Array.isArray(value) && typeof value[0] === 'string') value[0] = rewriteCss(value[0], map);
    }
  }
  return style;
}

function rewriteAttributes(attributes, map) {
  if (!attributes) return;
  if (typeof attributes._cssText === 'string') attributes._cssText = rewriteCss(attributes._cssText, map);
  for (const name of URL_ATTRIBUTES) {
    const path = typeof attributes[name] === 'string' && cachedPath(attributes[name], map);
    if (path) attributes[name] = path;
  }
  if (typeof attributes.srcset === 'string') attributes.srcset = rewriteSrcset(attributes.srcset, map);
  if (attributes.style) attributes.style = rewriteStyle(attributes.style, map);
}

/** Every serialized node under `root`, without recursion (recorded DOMs can be deep). */
function rewriteTree(root, map) {
  const stack = root ? [root] : [];
  while (stack.length) {
    const node = stack.pop();
    if (node.type === 2) rewriteAttributes(node.attributes, map);
    else if (node.type === 3 && node.isStyle) node.textContent = rewriteCss(node.textContent, map);
    if (node.childNodes) stack.push(...node.childNodes);
  }
}

function rewriteIncremental(data, map) {
  if (data.source === MUTATION) {
    for (const add of data.adds || []) rewriteTree(add.node, map);
    for (const change of data.attributes || []) rewriteAttributes(change.attributes, map);
    for (const change of data.texts || []) {
      // the text of a <style> changed: rrweb sends it as a text change of its text node
      if (typeof change.value === 'string' && change.value.includes('url(')) change.value = rewriteCss(change.value, map);
    }
  } else if (data.source === STYLESHEET_RULE) {
    for (const add of data.adds || []) if (typeof add.rule === 'string') add.rule = rewriteCss(add.rule, map);
  } else if (data.source === STYLE_DECLARATION) {
    if (data.set && typeof data.set.value === 'string') data.set.value = rewriteCss(data.set.value, map);
  } else if (data.source === ADOPTED_STYLESHEET) {
    for (const style of data.styles || []) for (const rule of style.rules || []) rule.rule = rewriteCss(rule.rule, map);
  }
}

export function rewriteEvent(event, map) {
  if (!map || !event || !event.data) return event;
  if (event.type === FULL_SNAPSHOT) rewriteTree(event.data.node, map);
  else if (event.type === INCREMENTAL) rewriteIncremental(event.data, map);
  return event;
}

/** Rewrite `events` to our copies and hold canvases' snapshot pictures for the canvas
 * painter (player/canvas.js); every replay prepares its events here. */
export function rewriteEvents(events, map) {
  const rewrite = Boolean(map && Object.keys(map).length);
  for (const event of events) {
    if (rewrite) rewriteEvent(event, map);
    holdCanvasSnapshots(event);
  }
  return events;
}

const SETTLE_POLL_MS = 300;

/**
 * The session's asset map once the server's caching of it has settled: right away when
 * nothing is being cached, else polled until the job is done (at most `maxWaitMs`), so
 * that the first viewer of a session recorded seconds ago sees the cached fonts and
 * images as every later viewer will. `url` is GET /api/v1/sessions/<id>/assets.
 */
export async function settledAssetMap(url, { map = {}, pending = false, maxWaitMs = 8000, fetchJson } = {}) {
  const read = fetchJson || (async (address) => (await fetch(address, { credentials: 'same-origin' })).json());
  const until = Date.now() + maxWaitMs;
  let latest = { assets: map, pending };
  while (latest.pending && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    try {
      latest = await read(url);
    } catch {
      break; // replay with what we have
    }
  }
  return latest.assets || map;
}

/** The session's asset map, read again every `everyMs` (a live room: what the server
 * caches while the participant goes on). `current()` is the latest; `stop()` ends it. */
export function followAssetMap(url, initial = {}, { everyMs = 4000, fetchJson } = {}) {
  const read = fetchJson || (async (address) => (await fetch(address, { credentials: 'same-origin' })).json());
  let map = initial || {};
  const timer = setInterval(async () => {
    try {
      map = (await read(url)).assets || map;
    } catch {
      // keep the last map; the next read may work
    }
  }, everyMs);
  return { current: () => map, stop: () => clearInterval(timer) };
}
