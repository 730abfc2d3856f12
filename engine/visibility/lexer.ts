/** Tokenizer: one left-to-right scan, character by character, so every input is tokenized in linear time. */
import { VisibilityQueryError } from './types';

export type TokenKind = 'ident' | 'quotedIdent' | 'string' | 'number' | 'op' | '(' | ')' | ',' | '-' | '+' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  /** Decoded value: identifier or string contents; for `op` the normalised operator (`<>` becomes `!=`). */
  value: string;
  /** 0-based offset into the query. */
  pos: number;
}

/** Positions in messages count from 1, as an editor column does. */
export function location(pos: number, query: string): string {
  return pos >= query.length ? 'at end of query' : `at position ${pos + 1}`;
}

export function quoteForMessage(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  // Control characters would garble the message or the caller's log line.
  const printable = shown.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `'${printable}'`;
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const SPACE = /^\s$/u;
const WORD_CHAR = /^[\p{L}\p{N}\p{M}_]$/u;
const WORD_START = /^[\p{L}_]$/u;

function charAt(s: string, i: number): string {
  const cp = s.codePointAt(i);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', Z: '\x1a' };

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  function fail(message: string, pos: number, detail?: string): never {
    throw new VisibilityQueryError(`${message} ${location(pos, query)}${detail ? ` (${detail})` : ''}`);
  }
  while (i < query.length) {
    const c = charAt(query, i);
    // Any Unicode space, so a pasted no-break space or BOM is not reported as an odd character.
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= query.length) fail('unterminated string starting', start);
        const ch = query[i];
        if (ch === '\\') {
          if (i + 1 >= query.length) fail(`unterminated string starting`, start);
          const e = query[i + 1];
          // MySQL rules, as Temporal's parser: an unknown escape stands for the character itself.
          value += ESCAPES[e] ?? e;
          i += 2;
        } else if (ch === c) {
          if (query[i + 1] === c) {
            value += c;
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          value += ch;
          i++;
        }
      }
      tokens.push({ kind: 'string', text: query.slice(start, i), value, pos: start });
    } else if (c === '`') {
      let value = '';
      i++;
      for (;;) {
        if (i >= query.length) fail('unterminated backtick-quoted name starting', start);
        const ch = query[i];
        if (ch === '`') {
          if (query[i + 1] === '`') {
            value += '`';
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          value += ch;
          i++;
        }
      }
      if (value === '') fail('empty backtick-quoted name', start);
      tokens.push({ kind: 'quotedIdent', text: query.slice(start, i), value, pos: start });
    } else if (isDigit(c) || (c === '.' && isDigit(query[i + 1] ?? ''))) {
      while (isDigit(query[i] ?? '')) i++;
      if (query[i] === '.') {
        i++;
        while (isDigit(query[i] ?? '')) i++;
      }
      if (query[i] === 'e' || query[i] === 'E') {
        const save = i;
        i++;
        if (query[i] === '+' || query[i] === '-') i++;
        if (!isDigit(query[i] ?? '')) i = save;
        while (isDigit(query[i] ?? '')) i++;
      }
      // `12abc` is most likely an unquoted value; reject it here rather than as two tokens.
      if (i < query.length && WORD_CHAR.test(charAt(query, i))) {
        let end = i;
        while (end < query.length && WORD_CHAR.test(charAt(query, end))) end += charAt(query, end).length;
        fail(`invalid number ${quoteForMessage(query.slice(start, end))}`, start);
      }
      const text = query.slice(start, i);
      tokens.push({ kind: 'number', text, value: text, pos: start });
    } else if (WORD_START.test(c)) {
      while (i < query.length && WORD_CHAR.test(charAt(query, i))) i += charAt(query, i).length;
      const text = query.slice(start, i);
      tokens.push({ kind: 'ident', text, value: text, pos: start });
    } else if (c === '=' || c === '<' || c === '>' || c === '!') {
      const two = query.slice(i, i + 2);
      const isPair = two === '<=' || two === '>=' || two === '!=' || two === '<>';
      if (!isPair && c === '!') fail(`unexpected character '!'`, start, `did you mean '!='?`);
      i += isPair ? 2 : 1;
      const text = query.slice(start, i);
      tokens.push({ kind: 'op', text, value: text === '<>' ? '!=' : text, pos: start });
    } else if (c === '(' || c === ')' || c === ',' || c === '-' || c === '+') {
      i++;
      tokens.push({ kind: c, text: c, value: c, pos: start });
    } else {
      fail(`unexpected character ${quoteForMessage(c)}`, start);
    }
  }
  tokens.push({ kind: 'eof', text: '', value: '', pos: query.length });
  return tokens;
}
