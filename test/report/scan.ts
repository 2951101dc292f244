/**
 * A tiny, tolerant HTML tag scanner for the report tests: no regular
 * expressions, no dependencies. It follows the browser tokenizer closely
 * enough for what the tests ask (which tags and attributes exist, and what
 * text a reader sees): a tag starts with "<" and an ASCII letter, attribute
 * values are double-quoted, single-quoted or unquoted, <style> and <script>
 * hold raw text, comments and doctypes are skipped.
 */
export interface Attr {
  name: string;
  value: string | null;
}

export type Token =
  | { type: 'open'; name: string; attrs: Attr[]; selfClosing: boolean }
  | { type: 'close'; name: string }
  | { type: 'text'; text: string }
  | { type: 'raw'; name: string; text: string };

const isLetter = (c: string | undefined) =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isSpace = (c: string | undefined) => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f';

function lower(s: string): string {
  let out = '';
  for (const c of s) out += c >= 'A' && c <= 'Z' ? String.fromCharCode(c.charCodeAt(0) + 32) : c;
  return out;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the character references the report uses (and numeric ones). */
export function decode(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c !== '&') {
      out += c;
      i++;
      continue;
    }
    const end = s.indexOf(';', i);
    if (end < 0 || end - i > 10) {
      out += c;
      i++;
      continue;
    }
    const ref = s.slice(i + 1, end);
    let rep: string | undefined;
    if (ref.startsWith('#x') || ref.startsWith('#X'))
      rep = String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    else if (ref.startsWith('#')) rep = String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    else rep = NAMED[ref];
    if (rep === undefined) {
      out += c;
      i++;
      continue;
    }
    out += rep;
    i = end + 1;
  }
  return out;
}

const RAW = new Set(['script', 'style', 'textarea', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);

export function scan(html: string): Token[] {
  const tokens: Token[] = [];
  const n = html.length;
  let i = 0;
  let text = '';
  const flush = () => {
    if (text) tokens.push({ type: 'text', text: decode(text) });
    text = '';
  };
  while (i < n) {
    const c = html[i]!;
    if (c !== '<') {
      text += c;
      i++;
      continue;
    }
    if (html.startsWith('<!--', i)) {
      flush();
      const end = html.indexOf('-->', i + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (html[i + 1] === '!' || html[i + 1] === '?') {
      flush();
      const end = html.indexOf('>', i);
      i = end < 0 ? n : end + 1;
      continue;
    }
    let j = i + 1;
    const close = html[j] === '/';
    if (close) j++;
    if (!isLetter(html[j])) {
      text += c;
      i++;
      continue;
    }
    flush();
    const start = j;
    while (j < n && !isSpace(html[j]) && html[j] !== '/' && html[j] !== '>') j++;
    const name = lower(html.slice(start, j));
    const attrs: Attr[] = [];
    let selfClosing = false;
    for (;;) {
      while (j < n && (isSpace(html[j]) || html[j] === '/')) {
        if (html[j] === '/' && html[j + 1] === '>') selfClosing = true;
        j++;
      }
      if (j >= n || html[j] === '>') {
        j++;
        break;
      }
      const as = j;
      j++;
      while (j < n && !isSpace(html[j]) && html[j] !== '/' && html[j] !== '>' && html[j] !== '=') j++;
      const an = lower(html.slice(as, j));
      while (j < n && isSpace(html[j])) j++;
      let value: string | null = null;
      if (html[j] === '=') {
        j++;
        while (j < n && isSpace(html[j])) j++;
        const q = html[j];
        if (q === '"' || q === "'") {
          const end = html.indexOf(q, j + 1);
          value = html.slice(j + 1, end < 0 ? n : end);
          j = end < 0 ? n : end + 1;
        } else {
          const vs = j;
          while (j < n && !isSpace(html[j]) && html[j] !== '>') j++;
          value = html.slice(vs, j);
        }
        value = decode(value);
      }
      attrs.push({ name: an, value });
    }
    i = j;
    if (close) {
      tokens.push({ type: 'close', name });
      continue;
    }
    tokens.push({ type: 'open', name, attrs, selfClosing });
    if (RAW.has(name)) {
      // Raw text up to the matching end tag (case-insensitive).
      const hay = lower(html);
      const end = hay.indexOf(`</${name}`, i);
      tokens.push({ type: 'raw', name, text: html.slice(i, end < 0 ? n : end) });
      i = end < 0 ? n : end;
    }
  }
  flush();
  return tokens;
}

export const attr = (t: Token, name: string): string | null | undefined =>
  t.type === 'open' ? t.attrs.find((a) => a.name === name)?.value : undefined;

export const opens = (tokens: Token[], name?: string) =>
  tokens.filter(
    (t): t is Extract<Token, { type: 'open' }> => t.type === 'open' && (!name || t.name === name),
  );

/** What a reader sees: all text outside raw-text elements, decoded. */
export function visibleText(tokens: Token[]): string {
  return tokens.map((t) => (t.type === 'text' ? t.text : '')).join('');
}

/** The text of each element `name` (e.g. every table row), in document order, leaving out text inside `skip` elements. */
export function textsOf(tokens: Token[], name: string, skip?: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let skipping = 0;
  let cur = '';
  for (const t of tokens) {
    if (skip && t.type === 'open' && t.name === skip) skipping++;
    if (skip && t.type === 'close' && t.name === skip && skipping > 0) skipping--;
    if (skipping > 0 && t.type === 'text') continue;
    if (t.type === 'open' && t.name === name) {
      if (depth === 0) cur = '';
      depth++;
    } else if (t.type === 'close' && t.name === name && depth > 0) {
      depth--;
      if (depth === 0) out.push(cur);
    } else if (t.type === 'text' && depth > 0) cur += t.text;
    else if (t.type === 'open' && t.name === 'br' && depth > 0) cur += '\n';
    else if (t.type === 'open' && (t.name === 'td' || t.name === 'th') && depth > 0) cur += ' | ';
  }
  return out;
}

/** Tokens of the first element `name` with attribute `attrName` = `value`, up to its end. */
export function elementTokens(tokens: Token[], name: string, attrName: string, value: string): Token[] {
  const i = tokens.findIndex((t) => t.type === 'open' && t.name === name && attr(t, attrName) === value);
  if (i < 0) return [];
  let depth = 0;
  for (let j = i; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.type === 'open' && t.name === name && !t.selfClosing) depth++;
    if (t.type === 'close' && t.name === name) {
      depth--;
      if (depth === 0) return tokens.slice(i, j + 1);
    }
  }
  return tokens.slice(i);
}
