import { expect } from 'chai';
import { compileVisibilityQuery, MAX_NESTING, VisibilityQueryError, type QueryAst, type QueryExpr } from './index';
import { CUSTOM } from './testFixtures';

const ast = (q: string): QueryAst => compileVisibilityQuery(q, CUSTOM).ast;

/** Compact rendering of the boolean structure, to test precedence without spelling out whole ASTs. */
function shape(e: QueryExpr | null): string {
  if (e === null) return 'ALL';
  switch (e.kind) {
    case 'and':
    case 'or':
      return `(${e.operands.map(shape).join(` ${e.kind.toUpperCase()} `)})`;
    case 'not':
      return `NOT ${shape(e.operand)}`;
    default:
      return e.field.name;
  }
}

describe('engine visibility: parser', () => {
  it('an empty or blank query has no filter and no ordering', () => {
    expect(ast('')).to.deep.equal({ where: null, orderBy: [] });
    expect(ast('  \n ')).to.deep.equal({ where: null, orderBy: [] });
  });

  it('resolves system and custom fields with their types', () => {
    const e = ast("WorkflowId = 'a' AND CustomIntField > 3").where;
    expect(e).to.deep.equal({
      kind: 'and',
      operands: [
        { kind: 'compare', field: { kind: 'system', name: 'WorkflowId', type: 'Keyword' }, op: '=', value: { type: 'String', value: 'a' } },
        { kind: 'compare', field: { kind: 'custom', name: 'CustomIntField', type: 'Int' }, op: '>', value: { type: 'Int', value: 3 } },
      ],
    });
  });

  it('system names win over the same name in the custom map', () => {
    const e = compileVisibilityQuery("WorkflowId = 'a'", new Map([['WorkflowId', 'Keyword']])).ast.where;
    expect(e).to.have.nested.property('field.kind', 'system');
  });

  it('builds every predicate kind', () => {
    const field = { kind: 'system', name: 'WorkflowId', type: 'Keyword' };
    const s = (value: string) => ({ type: 'String', value });
    expect(ast("WorkflowId IN ('a', 'b')").where).to.deep.equal({ kind: 'in', field, negated: false, values: [s('a'), s('b')] });
    expect(ast("WorkflowId NOT IN ('a')").where).to.deep.equal({ kind: 'in', field, negated: true, values: [s('a')] });
    expect(ast("WorkflowId BETWEEN 'a' AND 'c'").where).to.deep.equal({ kind: 'between', field, negated: false, low: s('a'), high: s('c') });
    expect(ast("WorkflowId NOT BETWEEN 'a' AND 'c'").where).to.deep.equal({ kind: 'between', field, negated: true, low: s('a'), high: s('c') });
    expect(ast("WorkflowId STARTS_WITH 'case-'").where).to.deep.equal({ kind: 'startsWith', field, negated: false, prefix: 'case-' });
    expect(ast("WorkflowId NOT STARTS_WITH 'x'").where).to.deep.equal({ kind: 'startsWith', field, negated: true, prefix: 'x' });
    expect(ast('WorkflowId IS NULL').where).to.deep.equal({ kind: 'isNull', field, negated: false });
    expect(ast('WorkflowId IS NOT NULL').where).to.deep.equal({ kind: 'isNull', field, negated: true });
    expect(ast("WorkflowId <> 'a'").where).to.have.property('op', '!=');
  });

  it('types literals for their field', () => {
    const value = (q: string) => (ast(q).where as { value: unknown }).value;
    expect(value('CustomIntField = 5')).to.deep.equal({ type: 'Int', value: 5 });
    expect(value('CustomIntField = -5')).to.deep.equal({ type: 'Int', value: -5 });
    expect(value('CustomIntField = 1.5')).to.deep.equal({ type: 'Double', value: 1.5 });
    expect(value('CustomDoubleField = 5')).to.deep.equal({ type: 'Double', value: 5 });
    expect(value('CustomDoubleField = -2.5e1')).to.deep.equal({ type: 'Double', value: -25 });
    expect(value('CustomBoolField = TRUE')).to.deep.equal({ type: 'Bool', value: true });
    expect(value('CustomBoolField = false')).to.deep.equal({ type: 'Bool', value: false });
    expect(value("StartTime = '2026-11-23T17:00:00+07:00'")).to.deep.equal({
      type: 'Datetime',
      epochMs: Date.parse('2026-11-23T10:00:00Z'),
      nanos: 0,
      text: '2026-11-23T17:00:00+07:00',
    });
    expect(value('StartTime = 1795428000000000007')).to.deep.equal({ type: 'Datetime', epochMs: 1_795_428_000_000, nanos: 7, text: '1795428000000000007' });
    expect(value("ExecutionStatus = 'TimedOut'")).to.deep.equal({ type: 'String', value: 'TimedOut' });
    expect(value('ExecutionStatus = 2')).to.deep.equal({ type: 'String', value: 'Completed' });
    expect(value('CustomTextField = "giấy khai sinh"')).to.deep.equal({ type: 'String', value: 'giấy khai sinh' });
  });

  const precedence: Array<[string, string]> = [
    ["WorkflowId = 'a' OR RunId = 'b' AND TaskQueue = 'c'", '(WorkflowId OR (RunId AND TaskQueue))'],
    ["WorkflowId = 'a' AND RunId = 'b' OR TaskQueue = 'c'", '((WorkflowId AND RunId) OR TaskQueue)'],
    ["(WorkflowId = 'a' OR RunId = 'b') AND TaskQueue = 'c'", '((WorkflowId OR RunId) AND TaskQueue)'],
    ["WorkflowId = 'a' AND RunId = 'b' AND TaskQueue = 'c'", '(WorkflowId AND RunId AND TaskQueue)'],
    ["WorkflowId = 'a' AND (RunId = 'b' AND TaskQueue = 'c')", '(WorkflowId AND RunId AND TaskQueue)'],
    ["NOT WorkflowId = 'a' AND RunId = 'b'", '(NOT WorkflowId AND RunId)'],
    ["NOT (WorkflowId = 'a' OR RunId = 'b')", 'NOT (WorkflowId OR RunId)'],
    ["((((WorkflowId = 'a'))))", 'WorkflowId'],
    ["HistoryLength BETWEEN 1 AND 5 AND RunId = 'b'", '(HistoryLength AND RunId)'],
    ["WorkflowId = 'a' and RunId = 'b' Or TaskQueue = 'c'", '((WorkflowId AND RunId) OR TaskQueue)'],
  ];
  for (const [q, expected] of precedence) {
    it(`groups ${q}`, () => expect(shape(ast(q).where)).to.equal(expected));
  }

  it('accepts keywords in any case', () => {
    const q = "WorkflowId in ('a') and RunId not in ('b') or HistoryLength between 1 and 2 or TaskQueue starts_with 'x' or CloseTime is not null order by StartTime desc";
    expect(() => ast(q)).not.to.throw();
  });

  it('reads backtick-quoted names, including ones that collide with keywords', () => {
    expect(ast("`Custom Field` = 'x'").where).to.have.nested.property('field.name', 'Custom Field');
    expect(ast("`Order` = 'x' ORDER BY `Order` DESC").orderBy).to.deep.equal([
      { field: { kind: 'custom', name: 'Order', type: 'Keyword' }, direction: 'DESC' },
    ]);
    expect(ast("`WorkflowId` = 'x'").where).to.have.nested.property('field.kind', 'system');
  });

  it('parses ORDER BY lists, with or without a filter', () => {
    expect(ast('ORDER BY StartTime').orderBy).to.deep.equal([{ field: { kind: 'system', name: 'StartTime', type: 'Datetime' }, direction: 'ASC' }]);
    const q = ast("WorkflowType = 'x' ORDER BY CloseTime DESC, CustomIntField ASC, ExecutionStatus");
    expect(q.orderBy.map((o) => `${o.field.name} ${o.direction}`)).to.deep.equal(['CloseTime DESC', 'CustomIntField ASC', 'ExecutionStatus ASC']);
  });

  const errors: Array<[string, string]> = [
    ['Foo = 1', "unknown search attribute 'Foo' at position 1"],
    ["workflowId = 'x'", "unknown search attribute 'workflowId' at position 1 (names are case-sensitive; did you mean 'WorkflowId'?)"],
    ["WorkflowId LIKE 'x%'", "unsupported operator 'LIKE' at position 12"],
    ["WorkflowId NOT LIKE 'x%'", "unsupported operator 'NOT LIKE' at position 12"],
    ["WorkflowId REGEXP 'x'", "unsupported operator 'REGEXP' at position 12"],
    ["WorkflowId = 'a' AND RunId = ", "expected value after '=' at end of query"],
    ["WorkflowId = 'a' AND RunId = )", "expected value after '=' at position 30 (found ')')"],
    ['WorkflowId = abc', "expected value after '=' at position 14 (found name 'abc'; string values must be quoted)"],
    ['WorkflowId = AND', "expected value after '=' at position 14 (found keyword 'AND')"],
    ['WorkflowId = NULL', "comparison with NULL is never true at position 14 (use 'IS NULL' or 'IS NOT NULL')"],
    ["WorkflowId 'a'", "expected operator after 'WorkflowId' at position 12 (found ''a'')"],
    ['WorkflowId', "expected operator after 'WorkflowId' at end of query"],
    ["WorkflowId = 'a' AND", "expected search attribute after 'AND' at end of query"],
    ["WorkflowId = 'a' OR OR RunId = 'b'", "expected search attribute after 'OR' at position 21 (found keyword 'OR'; write an attribute of that name in backticks)"],
    ["'WorkflowId' = 'a'", "expected search attribute at position 1 (found string ''WorkflowId''; names are written bare or in backticks)"],
    ["WorkflowId = 'a' RunId = 'b'", "unexpected 'RunId' at position 18 (expected AND, OR, ORDER BY or end of query)"],
    ["WorkflowId = 'a')", "unexpected ')' at position 17"],
    ["(WorkflowId = 'a'", "expected ')' at end of query (to close the '(' at position 1)"],
    ["(WorkflowId = 'a' ORDER BY RunId", "expected ')' at position 19 (found 'ORDER'; to close the '(' at position 1)"],
    ['()', "expected search attribute after '(' at position 2 (found ')')"],
    ["WorkflowId = 'abc", 'unterminated string starting at position 14'],
    ['*', "unexpected character '*' at position 1"],
    ['SELECT WorkflowId FROM executions', "expected search attribute at position 1 (found keyword 'SELECT'"],
    ["WorkflowId = 'a' ORDER BY *", "unexpected character '*' at position 27"],
    ["lower(WorkflowId) = 'a'", "function calls are not supported: 'lower(…)' at position 1"],
    ["WorkflowId = 'a' GROUP BY ExecutionStatus", "'GROUP BY' is not supported at position 18"],
    ['GROUP BY ExecutionStatus', "'GROUP BY' is not supported at position 1"],
    ["WorkflowId = 'a' LIMIT 10", "'LIMIT' is not supported at position 18"],
    ['ORDER BY', "expected search attribute after 'BY' at end of query"],
    ['ORDER StartTime', "expected BY after 'ORDER' at position 7 (found 'StartTime')"],
    ['ORDER BY StartTime,', "expected search attribute after ',' at end of query"],
    ['ORDER BY StartTime DESC ASC', "unexpected 'ASC' at position 25 (expected ',', ASC, DESC or end of query)"],
    ['ORDER BY CustomTextField', "cannot order by search attribute 'CustomTextField' of type Text at position 10"],
    ['ORDER BY Tags', "cannot order by search attribute 'Tags' of type KeywordList at position 10"],
    ["ORDER BY StartTime WorkflowId = 'a'", "unexpected 'WorkflowId' at position 20"],
    ["WorkflowId IN 'a'", "expected '(' after 'IN' at position 15 (found ''a'')"],
    ['WorkflowId IN ()', "expected value after '(' at position 16 (found ')')"],
    ["WorkflowId IN ('a' 'b')", "expected ',' or ')' in the IN list at position 20 (found ''b'')"],
    ["WorkflowId IN ('a',)", "expected value after ',' at position 20 (found ')')"],
    ["WorkflowId BETWEEN 'a' OR 'b'", "expected AND after ''a'' at position 24 (found 'OR')"],
    ['WorkflowId IS TRUE', "'IS' can only be used as 'IS NULL' or 'IS NOT NULL' at position 15 (found 'TRUE')"],
    ["WorkflowId NOT 'a'", "expected IN, BETWEEN or STARTS_WITH after 'NOT' at position 16 (found ''a'')"],
    ['HistoryLength = - x', "expected number after '-' at position 19 (found 'x')"],
    // type checking
    ["HistoryLength = '5'", "invalid value '5' for search attribute 'HistoryLength' of type Int at position 17 (expected a number)"],
    ['HistoryLength = true', "invalid value true for search attribute 'HistoryLength' of type Int at position 17 (expected a number)"],
    ['HistoryLength = 99999999999999999999', "invalid value 99999999999999999999 for search attribute 'HistoryLength' of type Int at position 17 (expected an integer between"],
    ['CustomDoubleField = 1e999', "invalid value 1e999 for search attribute 'CustomDoubleField' of type Double at position 21 (expected a number in range)"],
    ['WorkflowId = 5', "invalid value 5 for search attribute 'WorkflowId' of type Keyword at position 14 (expected a quoted string)"],
    ["CustomBoolField = 'true'", "invalid value 'true' for search attribute 'CustomBoolField' of type Bool at position 19 (expected true or false)"],
    ['CustomBoolField < true', "operator '<' is not supported for search attribute 'CustomBoolField' of type Bool at position 17 (supported: =, !=, IN, NOT IN, IS NULL, IS NOT NULL)"],
    ['CustomBoolField BETWEEN false AND true', "operator 'BETWEEN' is not supported for search attribute 'CustomBoolField' of type Bool at position 17"],
    ["CustomTextField > 'a'", "operator '>' is not supported for search attribute 'CustomTextField' of type Text at position 17"],
    ["CustomTextField IN ('a')", "operator 'IN' is not supported for search attribute 'CustomTextField' of type Text"],
    ["CustomTextField STARTS_WITH 'a'", "operator 'STARTS_WITH' is not supported for search attribute 'CustomTextField' of type Text"],
    ["HistoryLength STARTS_WITH '1'", "operator 'STARTS_WITH' is not supported for search attribute 'HistoryLength' of type Int"],
    ["Tags < 'a'", "operator '<' is not supported for search attribute 'Tags' of type KeywordList"],
    ["Tags STARTS_WITH 'a'", "operator 'STARTS_WITH' is not supported for search attribute 'Tags' of type KeywordList"],
    ["ExecutionStatus > 'Running'", "operator '>' is not supported for search attribute 'ExecutionStatus' of type Keyword"],
    ["ExecutionStatus STARTS_WITH 'Run'", "operator 'STARTS_WITH' is not supported for search attribute 'ExecutionStatus'"],
    ["ExecutionStatus = 'running'", "invalid ExecutionStatus value 'running' at position 19 (status names are case-sensitive; did you mean 'Running'?)"],
    ["ExecutionStatus IN ('Running', 'Paused')", "invalid ExecutionStatus value 'Paused' at position 32 (expected one of Running, Completed, Failed, Canceled, Terminated, ContinuedAsNew, TimedOut)"],
    ['ExecutionStatus = 9', 'invalid ExecutionStatus value 9 at position 19'],
    ["StartTime > '2026-11-23'", "invalid datetime '2026-11-23' for search attribute 'StartTime' at position 13 (expected an RFC 3339 datetime"],
    ["StartTime > 'yesterday'", "invalid datetime 'yesterday' for search attribute 'StartTime' at position 13"],
    ['StartTime > 1.5', "invalid datetime 1.5 for search attribute 'StartTime' at position 13"],
    ['StartTime > true', "invalid datetime true for search attribute 'StartTime' at position 13"],
    ["StartTime BETWEEN '2026-11-23T00:00:00Z' AND '2026-11-31T00:00:00Z'", "invalid datetime '2026-11-31T00:00:00Z' for search attribute 'StartTime' at position 46"],
    ["Weird = 'x'", "search attribute 'Weird' has unsupported type 'Blob' at position 1"],
  ];
  const custom = new Map(CUSTOM);
  // The map arrives from namespace records, typed only by convention.
  custom.set('Weird', 'Blob' as never);
  for (const [q, message] of errors) {
    it(`rejects ${q}`, () => {
      expect(() => compileVisibilityQuery(q, custom)).to.throw(VisibilityQueryError, message);
    });
  }

  it('limits nesting instead of overflowing the stack', () => {
    const ok = `${'('.repeat(MAX_NESTING)}WorkflowId = 'a'${')'.repeat(MAX_NESTING)}`;
    expect(shape(ast(ok).where)).to.equal('WorkflowId');
    const deep = `${'('.repeat(100_000)}WorkflowId = 'a'${')'.repeat(100_000)}`;
    expect(() => ast(deep)).to.throw(VisibilityQueryError, `query is nested too deeply at position ${MAX_NESTING + 1}`);
    expect(() => ast(`${'NOT '.repeat(100_000)}WorkflowId = 'a'`)).to.throw(VisibilityQueryError, 'query is nested too deeply');
  });

  it('keeps long AND/OR chains flat', () => {
    const q = Array.from({ length: 5000 }, (_, i) => `WorkflowId = 'w${i}'`).join(' OR ');
    const e = ast(q).where;
    expect(e).to.have.property('kind', 'or');
    expect((e as { operands: unknown[] }).operands).to.have.length(5000);
  });

  it('produces a JSON-serialisable AST', () => {
    const q = "StartTime > 1795428000000000007 AND Tags IN ('a') ORDER BY CloseTime DESC";
    const a = ast(q);
    expect(JSON.parse(JSON.stringify(a))).to.deep.equal(a);
  });
});
