// Point a recording's stylesheets and fonts at the server's cached copies, so a replay
// keeps its look after the recorded site changed. `map` is {original URL: our path}
// (GET /api/v1/sessions/<id>/assets). Events are rewritten in place: they are freshly
// parsed JSON that nothing else holds, and copying hours of events would cost more.

const URL_IN_CSS = /url\(\s*(['"]?)([^'")\s]+)\1\s*\)/gi;
const IMPORT_STRING = /@import\s+(['"])([^'"]+)\1/gi;
const FULL_SNAPSHOT = 2;
const INCREMENTAL = 3;
const MUTATION = 0;
const STYLESHEET_RULE = 8;
const ADOPTED_STYLESHEET = 15;

export function rewriteCss(css, map) {
  if (typeof css !== 'string' || !css) return css;
  return css
    .replace(URL_IN_CSS, (whole, quote, url) => (map[url] ? `url("${map[url]}")` : whole))
    .replace(IMPORT_STRING, (whole, quote, url) => (map[url] ? `@import "${map[url]}"` : whole));
}

function rewriteAttributes(attributes, map) {
  if (!attributes) return;
  if (typeof attributes._cssText === 'string') attributes._cssText = rewriteCss(attributes._cssText, map);
  if (typeof attributes.href === 'string' && map[attributes.href]) attributes.href = map[attributes.href];
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
  } else if (data.source === STYLESHEET_RULE) {
    for (const add of data.adds || []) if (typeof add.rule === 'string') add.rule = rewriteCss(add.rule, map);
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

export function rewriteEvents(events, map) {
  if (map && Object.keys(map).length) for (const event of events) rewriteEvent(event, map);
  return events;
}
