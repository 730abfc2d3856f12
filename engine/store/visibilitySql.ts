/**
 * Narrows a visibility query in SQL before the exact evaluation in JS: the conjunctive
 * predicates on indexed system fields become WHERE clauses that select a superset of the
 * matching rows; everything else (OR, NOT, custom attributes, text matching) is left to the
 * evaluator, so the result never differs from the in-memory store's.
 */
import type { Predicate, QueryAst, QueryExpr } from '../visibility';

export interface SqlFilter {
  clauses: string[];
  params: unknown[];
}

const COLUMNS: Record<string, string> = {
  ExecutionStatus: 'status',
  StartTime: 'start_time',
  CloseTime: 'close_time',
  WorkflowId: "(record->>'workflowId')",
  WorkflowType: "(record->>'workflowType')",
};

function conjuncts(expr: QueryExpr | null): QueryExpr[] {
  if (!expr) return [];
  if (expr.kind === 'and') return expr.operands.flatMap(conjuncts);
  return [expr];
}

function literal(p: Predicate, v: { type: string; value?: unknown; epochMs?: number }): unknown {
  return p.field.type === 'Datetime' ? new Date(v.epochMs ?? 0) : v.value;
}

export function prefilter(ast: QueryAst | undefined, firstParam: number): SqlFilter {
  const out: SqlFilter = { clauses: [], params: [] };
  const param = (value: unknown) => {
    out.params.push(value);
    return `$${firstParam + out.params.length - 1}`;
  };
  for (const c of conjuncts(ast?.where ?? null)) {
    if (c.kind === 'and' || c.kind === 'or' || c.kind === 'not') continue;
    if (c.field.kind !== 'system') continue;
    const column = COLUMNS[c.field.name];
    if (!column) continue;
    if (c.kind === 'compare' && c.op !== '!=') {
      out.clauses.push(`${column} ${c.op} ${param(literal(c, c.value))}`);
    } else if (c.kind === 'in' && !c.negated) {
      out.clauses.push(`${column} = any(${param(c.values.map((v) => literal(c, v)))})`);
    } else if (c.kind === 'between' && !c.negated) {
      out.clauses.push(`${column} between ${param(literal(c, c.low))} and ${param(literal(c, c.high))}`);
    } else if (c.kind === 'startsWith' && !c.negated) {
      out.clauses.push(`left(${column}, ${param(c.prefix.length)}) = ${param(c.prefix)}`);
    }
  }
  return out;
}
