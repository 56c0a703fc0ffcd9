import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseInline, parseMarkdown } from '../src/lib/markdown.js';

/** A tree as compact text: tags in angle brackets, attributes after the name. */
function show(nodes) {
  return nodes.map((node) => {
    if (typeof node === 'string') return node;
    const attrs = Object.entries(node.attrs).map(([k, v]) => ` ${k}=${v}`).join('');
    return `<${node.tag}${attrs}>${show(node.children)}</${node.tag}>`;
  }).join('');
}

const inline = (text) => show(parseInline(text));
const blocks = (text) => show(parseMarkdown(text));
const REL = 'rel=noopener noreferrer nofollow target=_blank';

test('emphasis, strong and code', () => {
  assert.equal(inline('a *b* **c** _d_ __e__ `f*g*`'), 'a <em>b</em> <strong>c</strong> <em>d</em> <strong>e</strong> <code>f*g*</code>');
  assert.equal(inline('**bold *and em* too**'), '<strong>bold <em>and em</em> too</strong>');
  assert.equal(inline('``a ` b``'), '<code>a ` b</code>');
});

test('what is not emphasis stays text', () => {
  assert.equal(inline('snake_case_name and 2 * 3 * 4'), 'snake_case_name and 2 * 3 * 4');
  assert.equal(inline('* not em*'), '* not em*');
  assert.equal(inline('unclosed **bold and `tick'), 'unclosed **bold and `tick');
  assert.equal(inline('\\*literal\\* \\`tick\\`'), '*literal* `tick`');
});

test('only http(s) links become links', () => {
  assert.equal(inline('[docs](https://example.test/a?b=1)'), `<a href=https://example.test/a?b=1 ${REL}>docs</a>`);
  assert.equal(inline('[x](javascript:alert(1))'), '[x](javascript:alert(1))');
  assert.equal(inline('[x](JavaScript:alert`1`)'), '[x](JavaScript:alert<code>1</code>)');
  assert.equal(inline('[x](data:text/html,hi)'), '[x](data:text/html,hi)');
  assert.equal(inline('[x](//evil.test)'), '[x](//evil.test)');
  assert.equal(inline('![img](https://t.test/p.gif)'), `!<a href=https://t.test/p.gif ${REL}>img</a>`);
  assert.equal(inline('see https://shop.test/cart.html.'), `see <a href=https://shop.test/cart.html ${REL}>https://shop.test/cart.html</a>.`);
  assert.equal(inline('[**b** [inner](https://a.test)](https://b.test)'), '[<strong>b</strong> <a href=https://a.test rel=noopener noreferrer nofollow target=_blank>inner</a>](<a href=https://b.test rel=noopener noreferrer nofollow target=_blank>https://b.test</a>)');
});

test('markup in the text is text: the tree holds it as a string', () => {
  const nodes = parseInline('<img src=x onerror=alert(1)> <script>alert(2)</script>');
  assert.deepEqual(nodes, ['<img src=x onerror=alert(1)> <script>alert(2)</script>']);
});

test('paragraphs, line breaks, lists and fenced code', () => {
  assert.equal(blocks('one\ntwo\n\nthree'), '<p>one<br></br>two</p><p>three</p>');
  assert.equal(blocks('Steps:\n- open *cart*\n- press Apply\n  again\n\n3. third\n4. fourth'),
    '<p>Steps:</p><ul><li>open <em>cart</em></li><li>press Apply<br></br>again</li></ul><ol start=3><li>third</li><li>fourth</li></ol>');
  assert.equal(blocks('```\n<b>*x*</b>\n```\nafter'), '<pre><code><b>*x*</b></code></pre><p>after</p>');
  assert.equal(blocks('```\nunclosed'), '<p>```<br></br>unclosed</p>');
  assert.equal(blocks('# not a heading'), '<p># not a heading</p>');
  assert.equal(blocks(''), '');
});
