// Reviewers' Markdown in notes and findings, as a small safe subset: paragraphs with
// line breaks, *emphasis*, **strong**, `code`, fenced code blocks, - and 1. lists, and
// links to http(s) addresses only. Anything else stays literal text.
//
// parseMarkdown() is pure (text in, a tree of {tag, attrs, children} and strings out);
// renderMarkdown() builds it with lib/dom.js, where every text is a text node, so no
// input can become markup, whatever the parser makes of it. The findings export keeps
// the same subset (server/review/export.py md_keep).
import { $$, clear, h } from './dom.js';

const FENCE = /^\s*```/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*(\d{1,9})[.)]\s+(.*)$/;
const HTTP_URL = /^https?:\/\/[^\s<>()]+$/i;
const BARE_URL = /^https?:\/\/[^\s<>]+/i;
const ESCAPABLE = /[\\`*_[\]()#+\-.!<>&|~{}]/;
const TRAILING_PUNCTUATION = /[.,;:!?'")\]]+$/;
const LINK_REL = 'noopener noreferrer nofollow';

const el = (tag, children, attrs = {}) => ({ tag, attrs, children });

/** Text → block nodes (p, ul, ol, pre). */
export function parseMarkdown(text) {
  const lines = String(text ?? '').replace(/\r\n?/g, '\n').split('\n');
  const blocks = [];
  let paragraph = [];
  let list = null;
  const endParagraph = () => {
    if (paragraph.length) blocks.push(el('p', withBreaks(paragraph)));
    paragraph = [];
  };
  const endList = () => {
    if (list) blocks.push(list);
    list = null;
  };
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index];
    if (FENCE.test(line)) {
      const close = lines.findIndex((candidate, at) => at > index && FENCE.test(candidate));
      if (close !== -1) {
        endParagraph();
        endList();
        blocks.push(el('pre', [el('code', [lines.slice(index + 1, close).join('\n')])]));
        index = close;
        continue;
      }
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      endParagraph();
      const tag = bullet ? 'ul' : 'ol';
      if (!list || list.tag !== tag) {
        endList();
        list = el(tag, [], numbered && numbered[1] !== '1' ? { start: String(Number(numbered[1])) } : {});
      }
      list.children.push(el('li', parseInline(bullet ? bullet[1] : numbered[2])));
    } else if (!line.trim()) {
      endParagraph();
      endList();
    } else if (list && /^\s{2,}\S/.test(line)) {
      list.children[list.children.length - 1].children.push(el('br', []), ...parseInline(line.trim()));
    } else {
      endList();
      paragraph.push(line);
    }
  }
  endParagraph();
  endList();
  return blocks;
}

function withBreaks(lines) {
  return lines.flatMap((line, index) => (index ? [el('br', []), ...parseInline(line)] : parseInline(line)));
}

/** One line of text → inline nodes (strings, em, strong, code, a). */
export function parseInline(text, { links = true } = {}) {
  const out = [];
  let plain = '';
  const flush = () => {
    if (plain) out.push(plain);
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const ch = text[i];
    if (ch === '\\' && ESCAPABLE.test(text[i + 1] || '')) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    const span = ch === '`' ? codeSpan(rest) : null;
    const strong = !span && (rest.startsWith('**') || rest.startsWith('__')) ? delimited(text, i, rest.slice(0, 2)) : null;
    const em = !span && !strong && (ch === '*' || ch === '_') ? delimited(text, i, ch) : null;
    const link = links && ch === '[' ? httpLink(rest) : null;
    const bare = links && (ch === 'h' || ch === 'H') && isWordStart(text, i) ? bareUrl(rest) : null;
    const found = span || strong || em || link || bare;
    if (!found) {
      plain += ch;
      i += 1;
      continue;
    }
    flush();
    if (span) out.push(el('code', [span.inner]));
    else if (strong) out.push(el('strong', parseInline(strong.inner, { links })));
    else if (em) out.push(el('em', parseInline(em.inner, { links })));
    else out.push(el('a', found.label, { href: found.href, rel: LINK_REL, target: '_blank' }));
    i += found.length;
  }
  flush();
  return out;
}

function codeSpan(rest) {
  const ticks = /^`+/.exec(rest)[0];
  const close = rest.indexOf(ticks, ticks.length);
  if (close === -1) return null;
  const inner = rest.slice(ticks.length, close);
  return inner.trim() ? { inner: inner.replace(/^ (.*) $/, '$1'), length: close + ticks.length } : null;
}

const isWordChar = (ch) => /[\p{L}\p{N}]/u.test(ch || '');
const isWordStart = (text, at) => !isWordChar(text[at - 1]);

/** `**x**`, `*x*`, `_x_` from text[start]: not opening or closing on a space, and an
 * underscore only between non-letters (snake_case stays as it is). */
function delimited(text, start, mark) {
  const from = start + mark.length;
  if (!text[from] || /\s/.test(text[from])) return null;
  if (mark[0] === '_' && isWordChar(text[start - 1])) return null;
  let close = text.indexOf(mark, from + 1);
  while (close !== -1) {
    const closingRunContinues = mark.length === 1 && text[close + 1] === mark;
    const closesAfterSpace = /\s/.test(text[close - 1]);
    const underscoreInWord = mark[0] === '_' && isWordChar(text[close + mark.length]);
    if (!closingRunContinues && !closesAfterSpace && !underscoreInWord) {
      return { inner: text.slice(from, close), length: close + mark.length - start };
    }
    close = text.indexOf(mark, close + (closingRunContinues ? 2 : 1));
  }
  return null;
}

/** `[label](http(s)://…)`; any other address leaves the brackets as text. */
function httpLink(rest) {
  const match = /^\[([^\[\]\n]*)\]\(([^()\s]*)\)/.exec(rest);
  if (!match || !HTTP_URL.test(match[2]) || !match[1].trim()) return null;
  return { href: match[2], label: parseInline(match[1], { links: false }), length: match[0].length };
}

/** A bare http(s) address, less the punctuation that ends its sentence. */
function bareUrl(rest) {
  const match = BARE_URL.exec(rest);
  if (!match) return null;
  const url = match[0].replace(TRAILING_PUNCTUATION, '');
  if (!HTTP_URL.test(url) || url.length < 'http://x'.length) return null;
  return { href: url, label: [url], length: url.length };
}

function build(node) {
  if (typeof node === 'string') return node;
  return h(node.tag, node.attrs, node.children.map(build));
}

/** The Markdown of `text` as DOM nodes, in a `<div class="markdown">`. */
export function renderMarkdown(text, { inline = false } = {}) {
  const blocks = inline ? [el('span', parseInline(String(text ?? '').replace(/\s*\n\s*/g, ' ')))] : parseMarkdown(text);
  return h(inline ? 'span' : 'div', { class: 'markdown' }, blocks.map(build));
}

/** Render every `[data-markdown]` element's text (server-rendered, escaped) in place. */
export function renderMarkdownIn(root = document) {
  for (const target of $$('[data-markdown]', root)) {
    const inline = target.dataset.markdown === 'inline';
    const source = target.textContent;
    clear(target).append(renderMarkdown(source, { inline }));
    target.removeAttribute('data-markdown');
  }
}
