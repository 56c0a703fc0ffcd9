import assert from 'node:assert/strict';
import { test } from 'node:test';
import { followAssetMap, rewriteCss, rewriteEvents, rewriteSrcset, settledAssetMap } from '../src/player/assets.js';

const MAP = {
  'https://cdn.test/site.css': '/api/v1/assets/aaa',
  'https://cdn.test/font.woff2': '/api/v1/assets/bbb',
  'https://cdn.test/hero.jpg': '/api/v1/assets/ccc',
  'https://cdn.test/hero@2x.jpg': '/api/v1/assets/ddd',
  'https://cdn.test/icons.svg': '/api/v1/assets/eee',
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

test('images: src, srcset, poster, SVG href, inline styles (text, and the changed properties mutations send)', () => {
  const snapshot = {
    type: 2, timestamp: 1, data: { node: { type: 0, id: 1, childNodes: [
      { type: 2, tagName: 'img', id: 2, attributes: { src: 'https://cdn.test/hero.jpg', srcset: 'https://cdn.test/hero.jpg 1x, https://cdn.test/hero@2x.jpg 2x' }, childNodes: [] },
      { type: 2, tagName: 'video', id: 3, attributes: { poster: 'https://cdn.test/hero.jpg' }, childNodes: [] },
      { type: 2, tagName: 'image', id: 4, attributes: { 'xlink:href': 'https://cdn.test/icons.svg#cart' }, childNodes: [] },
      { type: 2, tagName: 'div', id: 5, attributes: { style: 'background: url("https://cdn.test/hero.jpg") no-repeat' }, childNodes: [] },
    ] } },
  };
  const [event] = rewriteEvents([snapshot], MAP);
  const [img, video, image, div] = event.data.node.childNodes;
  assert.equal(img.attributes.src, '/api/v1/assets/ccc');
  assert.equal(img.attributes.srcset, '/api/v1/assets/ccc 1x, /api/v1/assets/ddd 2x');
  assert.equal(video.attributes.poster, '/api/v1/assets/ccc');
  assert.equal(image.attributes['xlink:href'], '/api/v1/assets/eee#cart'); // the sprite's fragment stays
  assert.equal(div.attributes.style, 'background: url("/api/v1/assets/ccc") no-repeat');

  const change = { type: 3, timestamp: 2, data: { source: 0, texts: [], removes: [], adds: [], attributes: [
    { id: 5, attributes: { style: { 'background-image': ['url(https://cdn.test/hero@2x.jpg)', ''], color: 'red', width: false } } },
    { id: 2, attributes: { src: 'https://cdn.test/hero@2x.jpg' } }] } };
  const declaration = { type: 3, timestamp: 3, data: { source: 13, id: 7, index: [0], set: { property: 'background', value: 'url(https://cdn.test/hero.jpg)' } } };
  rewriteEvents([change, declaration], MAP);
  assert.deepEqual(change.data.attributes[0].attributes.style, { 'background-image': ['url("/api/v1/assets/ddd")', ''], color: 'red', width: false });
  assert.equal(change.data.attributes[1].attributes.src, '/api/v1/assets/ddd');
  assert.equal(declaration.data.set.value, 'url("/api/v1/assets/ccc")');
});

test('a srcset keeps only cached candidates when some are cached, and stays as it is when none are', () => {
  assert.equal(rewriteSrcset('https://cdn.test/hero.jpg 480w, https://gone.test/big.jpg 1600w', MAP), '/api/v1/assets/ccc 480w');
  assert.equal(rewriteSrcset('https://gone.test/a.jpg 1x, https://gone.test/b.jpg 2x', MAP), 'https://gone.test/a.jpg 1x, https://gone.test/b.jpg 2x');
});

test('the first viewer waits for assets still being cached, a bounded while', async () => {
  const answers = [{ assets: { a: '/x' }, pending: true }, { assets: { a: '/x', b: '/y' }, pending: false }];
  const asked = [];
  const fetchJson = async (url) => { asked.push(url); return answers.shift(); };
  assert.deepEqual(await settledAssetMap('/assets', { map: {}, pending: true, fetchJson }), { a: '/x', b: '/y' });
  assert.equal(asked.length, 2);
  assert.deepEqual(await settledAssetMap('/assets', { map: { c: '/z' }, pending: false, fetchJson }), { c: '/z' }); // nothing due: no wait
  const never = async () => ({ assets: { late: '/l' }, pending: true });
  const started = Date.now();
  assert.deepEqual(await settledAssetMap('/assets', { pending: true, maxWaitMs: 700, fetchJson: never }), { late: '/l' });
  assert.ok(Date.now() - started < 2000);
});

test('a live room reads the map again as the server caches more', async () => {
  let reads = 0;
  const follower = followAssetMap('/assets', { a: '/x' }, { everyMs: 20, fetchJson: async () => ({ assets: { a: '/x', n: String(++reads) } }) });
  assert.deepEqual(follower.current(), { a: '/x' });
  await new Promise((resolve) => setTimeout(resolve, 70));
  follower.stop();
  assert.ok(reads >= 2 && follower.current().n === String(reads));
});
