import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rewriteCss, rewriteEvents } from '../src/player/assets.js';

const MAP = {
  'https://cdn.test/site.css': '/api/v1/assets/aaa',
  'https://cdn.test/font.woff2': '/api/v1/assets/bbb',
};

test('url() and @import of cached assets point at our copies; others are left alone', () => {
  const css = "@import 'https://cdn.test/site.css'; @font-face { src: url(\"https://cdn.test/font.woff2\") } a { background: url(https://other.test/i.png) }";
  assert.equal(rewriteCss(css, MAP),
    '@import "/api/v1/assets/aaa"; @font-face { src: url("/api/v1/assets/bbb") } a { background: url(https://other.test/i.png) }');
});

test('full snapshots: link hrefs, inlined _cssText and <style> text are rewritten', () => {
  const snapshot = {
    type: 2, timestamp: 1, data: { node: { type: 0, id: 1, childNodes: [
      { type: 2, tagName: 'link', id: 2, attributes: { rel: 'stylesheet', href: 'https://cdn.test/site.css' }, childNodes: [] },
      { type: 2, tagName: 'link', id: 3, attributes: { rel: 'stylesheet', _cssText: '@font-face{src:url(https://cdn.test/font.woff2)}' }, childNodes: [] },
      { type: 2, tagName: 'style', id: 4, attributes: {}, childNodes: [{ type: 3, id: 5, isStyle: true, textContent: 'b{src:url(https://cdn.test/font.woff2)}' }] },
      { type: 2, tagName: 'a', id: 6, attributes: { href: 'https://cdn.test/site.css' }, childNodes: [] },
    ] } },
  };
  const [event] = rewriteEvents([snapshot], MAP);
  const [link, inlined, style, anchor] = event.data.node.childNodes;
  assert.equal(link.attributes.href, '/api/v1/assets/aaa');
  assert.equal(inlined.attributes._cssText, '@font-face{src:url("/api/v1/assets/bbb")}');
  assert.equal(style.childNodes[0].textContent, 'b{src:url("/api/v1/assets/bbb")}');
  assert.equal(anchor.attributes.href, '/api/v1/assets/aaa'); // an identical URL is the same resource
});

test('mutations and stylesheet rules are rewritten too; an empty map changes nothing', () => {
  const mutation = { type: 3, timestamp: 2, data: { source: 0, texts: [], removes: [],
    adds: [{ parentId: 1, node: { type: 2, tagName: 'link', id: 9, attributes: { rel: 'stylesheet', href: 'https://cdn.test/site.css' }, childNodes: [] } }],
    attributes: [{ id: 2, attributes: { href: 'https://cdn.test/site.css' } }] } };
  const rule = { type: 3, timestamp: 3, data: { source: 8, id: 4, adds: [{ rule: '@font-face{src:url(https://cdn.test/font.woff2)}' }] } };
  const untouched = JSON.parse(JSON.stringify([mutation, rule]));
  assert.deepEqual(rewriteEvents(JSON.parse(JSON.stringify([mutation, rule])), {}), untouched);
  rewriteEvents([mutation, rule], MAP);
  assert.equal(mutation.data.adds[0].node.attributes.href, '/api/v1/assets/aaa');
  assert.equal(mutation.data.attributes[0].attributes.href, '/api/v1/assets/aaa');
  assert.equal(rule.data.adds[0].rule, '@font-face{src:url("/api/v1/assets/bbb")}');
});
