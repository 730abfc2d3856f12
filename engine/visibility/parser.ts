/**
 * Recursive-descent parser producing a resolved, type-checked AST.
 *
 *   query     := [or] [ORDER BY item {, item}]
 *   or        := and {OR and}
 *   and       := not {AND not}
 *   not       := NOT not | '(' or ')' | predicate
 *   predicate := field (cmp value | [NOT] IN '(' value {, value} ')' | [NOT] BETWEEN value AND value
 *                       | [NOT] STARTS_WITH value | IS [NOT] NULL)
 */
import { location, quoteForMessage, tokenize, type Token } from './lexer';
import {
  checkOperator,
  checkSortable,
  convertLiteral,
  resolveField,
  type Checked,
  type OperatorName,
  type Problem,
  type RawLiteral,
} from './typecheck';
import {
  VisibilityQueryError,
  type ComparisonOperator,
  type FieldRef,
  type OrderByItem,
  type QueryAst,
  type QueryExpr,
  type QueryValue,
  type SearchAttributeType,
} from './types';

/** Bounds recursion, so a hostile query gets an error instead of a stack overflow. */
export const MAX_NESTING = 100;

const RESERVED = new Set([
  'AND', 'OR', 'NOT', 'IN', 'BETWEEN', 'IS', 'NULL', 'LIKE', 'ORDER', 'BY', 'GROUP', 'LIMIT', 'ASC', 'DESC',
  'TRUE', 'FALSE', 'STARTS_WITH', 'SELECT', 'FROM', 'WHERE', 'HAVING',
]);

export function parseQuery(query: string, customAttributes: ReadonlyMap<string, SearchAttributeType>): QueryAst {
  return new Parser(query, customAttributes).parse();
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;

  constructor(
    private readonly query: string,
    private readonly custom: ReadonlyMap<string, SearchAttributeType>,
  ) {
    this.tokens = tokenize(query);
  }

  parse(): QueryAst {
    const clauseFirst = this.isKeyword('ORDER') || this.isKeyword('GROUP') || this.isKeyword('LIMIT');
    const where = this.peek().kind === 'eof' || clauseFirst ? null : this.parseOr();
    let orderBy: OrderByItem[] = [];
    if (this.isKeyword('ORDER')) {
      this.next();
      this.expectKeyword('BY');
      orderBy = this.parseOrderBy();
    }
    const t = this.peek();
    if (this.isKeyword('GROUP')) {
      this.fail(t, `'GROUP BY' is not supported`, `Temporal allows only 'GROUP BY ExecutionStatus', and only when counting`);
    }
    if (this.isKeyword('LIMIT')) this.fail(t, `'LIMIT' is not supported`, 'use the page size of the request');
    if (t.kind !== 'eof') {
      const expected = orderBy.length > 0 ? `',', ASC, DESC or end of query` : `AND, OR, ORDER BY or end of query`;
      this.fail(t, `unexpected ${quoteForMessage(t.text)}`, `expected ${expected}`);
    }
    return { where, orderBy };
  }

  // ---- boolean structure

  private parseOr(): QueryExpr {
    const operands = [this.parseAnd()];
    while (this.isKeyword('OR')) {
      this.next();
      operands.push(this.parseAnd());
    }
    return operands.length === 1 ? operands[0] : { kind: 'or', operands: operands.flatMap((e) => (e.kind === 'or' ? e.operands : [e])) };
  }

  private parseAnd(): QueryExpr {
    const operands = [this.parseNot()];
    while (this.isKeyword('AND')) {
      this.next();
      operands.push(this.parseNot());
    }
    return operands.length === 1 ? operands[0] : { kind: 'and', operands: operands.flatMap((e) => (e.kind === 'and' ? e.operands : [e])) };
  }

  private parseNot(): QueryExpr {
    const t = this.peek();
    if (this.isKeyword('NOT')) {
      this.next();
      return this.nested(t, () => ({ kind: 'not', operand: this.parseNot() }));
    }
    if (t.kind === '(') {
      this.next();
      const inner = this.nested(t, () => this.parseOr());
      const close = this.peek();
      if (close.kind !== ')') {
        const opened = `to close the '(' at position ${t.pos + 1}`;
        const found = this.found(close);
        this.fail(close, `expected ')'`, found ? `${found}; ${opened}` : opened);
      }
      this.next();
      return inner;
    }
    return this.parsePredicate();
  }

  private nested(t: Token, parse: () => QueryExpr): QueryExpr {
    if (++this.depth > MAX_NESTING) this.fail(t, 'query is nested too deeply', `more than ${MAX_NESTING} levels of parentheses or NOT`);
    const e = parse();
    this.depth--;
    return e;
  }

  // ---- predicates

  private parsePredicate(): QueryExpr {
    const fieldToken = this.peek();
    if (fieldToken.kind === 'ident' && !RESERVED.has(fieldToken.value.toUpperCase()) && this.tokens[this.index + 1].kind === '(') {
      this.fail(fieldToken, `function calls are not supported: '${fieldToken.text}(…)'`);
    }
    const field = this.parseField();
    const t = this.peek();
    if (t.kind === 'op') {
      this.next();
      const op = t.value as ComparisonOperator;
      this.problem(t, checkOperator(field, op));
      return { kind: 'compare', field, op, value: this.parseValue(field) };
    }
    if (t.kind !== 'ident') this.fail(t, `expected operator after ${quoteForMessage(fieldToken.text)}`, this.found(t));
    const word = t.value.toUpperCase();
    this.next();
    if (word === 'NOT') {
      const t2 = this.peek();
      const word2 = t2.kind === 'ident' ? t2.value.toUpperCase() : '';
      if (word2 === 'IN' || word2 === 'BETWEEN' || word2 === 'STARTS_WITH') {
        this.next();
        return this.parseNamedOperator(field, word2, true, t);
      }
      if (t2.kind === 'ident') this.fail(t, `unsupported operator 'NOT ${t2.text}'`);
      this.fail(t2, `expected IN, BETWEEN or STARTS_WITH after 'NOT'`, this.found(t2));
    }
    if (word === 'IN' || word === 'BETWEEN' || word === 'STARTS_WITH') return this.parseNamedOperator(field, word, false, t);
    if (word === 'IS') return this.parseIs(field, t);
    return this.fail(t, `unsupported operator '${t.text}'`);
  }

  private parseNamedOperator(field: FieldRef, word: 'IN' | 'BETWEEN' | 'STARTS_WITH', negated: boolean, opToken: Token): QueryExpr {
    this.problem(opToken, checkOperator(field, (negated ? `NOT ${word}` : word) as OperatorName));
    if (word === 'IN') {
      const open = this.peek();
      if (open.kind !== '(') this.fail(open, `expected '(' after 'IN'`, this.found(open));
      this.next();
      const values = [this.parseValue(field)];
      while (this.peek().kind === ',') {
        this.next();
        values.push(this.parseValue(field));
      }
      const close = this.peek();
      if (close.kind !== ')') this.fail(close, `expected ',' or ')' in the IN list`, this.found(close));
      this.next();
      return { kind: 'in', field, negated, values };
    }
    if (word === 'BETWEEN') {
      const low = this.parseValue(field);
      this.expectKeyword('AND');
      return { kind: 'between', field, negated, low, high: this.parseValue(field) };
    }
    const prefix = this.parseValue(field);
    // The operator check admits only Keyword fields, whose literals are strings.
    return { kind: 'startsWith', field, negated, prefix: prefix.type === 'String' ? prefix.value : '' };
  }

  private parseIs(field: FieldRef, isToken: Token): QueryExpr {
    let negated = false;
    if (this.isKeyword('NOT')) {
      this.next();
      negated = true;
    }
    const t = this.peek();
    if (!this.isKeyword('NULL')) this.fail(t, `'IS' can only be used as 'IS NULL' or 'IS NOT NULL'`, this.found(t));
    this.next();
    this.problem(isToken, checkOperator(field, negated ? 'IS NOT NULL' : 'IS NULL'));
    return { kind: 'isNull', field, negated };
  }

  // ---- operands

  private parseField(): FieldRef {
    const t = this.peek();
    const expected = `expected search attribute${this.after()}`;
    if (t.kind === 'ident' && RESERVED.has(t.value.toUpperCase())) {
      this.fail(t, expected, `found keyword '${t.text}'; write an attribute of that name in backticks`);
    }
    if (t.kind === 'string') this.fail(t, expected, `found string ${quoteForMessage(t.text)}; names are written bare or in backticks`);
    if (t.kind !== 'ident' && t.kind !== 'quotedIdent') this.fail(t, expected, this.found(t));
    this.next();
    return this.checked(t, resolveField(t.value, this.custom));
  }

  private parseValue(field: FieldRef): QueryValue {
    const expected = `expected value${this.after()}`;
    const t = this.next();
    let raw: RawLiteral;
    if (t.kind === 'string') raw = { kind: 'string', value: t.value };
    else if (t.kind === 'number') raw = { kind: 'number', text: t.text };
    else if (t.kind === '-' || t.kind === '+') {
      const n = this.peek();
      if (n.kind !== 'number') this.fail(n, `expected number after '${t.text}'`, this.found(n));
      this.next();
      raw = { kind: 'number', text: t.kind === '-' ? `-${n.text}` : n.text };
    } else if (t.kind === 'ident' && (t.value.toUpperCase() === 'TRUE' || t.value.toUpperCase() === 'FALSE')) {
      raw = { kind: 'bool', value: t.value.toUpperCase() === 'TRUE' };
    } else if (t.kind === 'ident' && t.value.toUpperCase() === 'NULL') {
      return this.fail(t, 'comparison with NULL is never true', `use 'IS NULL' or 'IS NOT NULL'`);
    } else if (t.kind === 'ident' && RESERVED.has(t.value.toUpperCase())) {
      return this.fail(t, expected, `found keyword '${t.text}'`);
    } else if (t.kind === 'ident' || t.kind === 'quotedIdent') {
      return this.fail(t, expected, `found name ${quoteForMessage(t.value)}; string values must be quoted`);
    } else {
      return this.fail(t, expected, this.found(t));
    }
    return this.checked(t, convertLiteral(field, raw));
  }

  private parseOrderBy(): OrderByItem[] {
    const items: OrderByItem[] = [];
    for (;;) {
      const t = this.peek();
      const field = this.parseField();
      this.problem(t, checkSortable(field));
      let direction: 'ASC' | 'DESC' = 'ASC';
      if (this.isKeyword('ASC') || this.isKeyword('DESC')) direction = this.next().value.toUpperCase() as 'ASC' | 'DESC';
      items.push({ field, direction });
      if (this.peek().kind !== ',') return items;
      this.next();
    }
  }

  // ---- token helpers

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const t = this.tokens[this.index];
    if (t.kind !== 'eof') this.index++;
    return t;
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.value.toUpperCase() === word;
  }

  private expectKeyword(word: string): void {
    const t = this.peek();
    if (!this.isKeyword(word)) this.fail(t, `expected ${word}${this.after()}`, this.found(t));
    this.next();
  }

  /** " after 'X'" naming the last consumed token, which is where the reader's eye is. */
  private after(): string {
    const prev = this.index > 0 ? this.tokens[this.index - 1] : undefined;
    return prev ? ` after ${quoteForMessage(prev.text)}` : '';
  }

  private found(t: Token): string | undefined {
    return t.kind === 'eof' ? undefined : `found ${quoteForMessage(t.text)}`;
  }

  private problem(t: Token, p: Problem | undefined): void {
    if (p !== undefined) this.fail(t, p.message, p.detail);
  }

  private checked<T>(t: Token, result: Checked<T>): T {
    if (!result.ok) this.fail(t, result.message, result.detail);
    return result.value;
  }

  /** Messages read "<problem> at position N (<detail>)". */
  private fail(t: Token, message: string, detail?: string): never {
    throw new VisibilityQueryError(`${message} ${location(t.pos, this.query)}${detail ? ` (${detail})` : ''}`);
  }
}
