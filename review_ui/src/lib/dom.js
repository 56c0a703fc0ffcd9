// Building DOM without innerHTML: every text from the server or a reviewer goes in as
// a text node, so it can never become markup.

/**
 * h('a', {href, class: 'x', onclick}, 'text', child) → an element.
 * Attributes whose name starts with "on" take a function; null/false attributes are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

/** The JSON a template put in <script type="application/json" id="page-data">. */
export function readPageData(id = 'page-data') {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : {};
}
