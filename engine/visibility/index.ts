/**
 * The visibility query language of ListWorkflowExecutions / CountWorkflowExecutions: the subset of
 * Temporal's SQL-like filter syntax described in `parser.ts`, compiled once per request.
 */
import { compileMatcher } from './evaluate';
import { compileComparator } from './order';
import { parseQuery } from './parser';
import { VisibilityQueryError, type CompiledQuery, type SearchAttributeType } from './types';

export * from './types';
export { MAX_NESTING } from './parser';

/**
 * Throws only VisibilityQueryError, whose message is meant for the API caller. An empty or blank
 * query matches every record in Temporal's default order.
 */
export function compileVisibilityQuery(query: string, customAttributes: ReadonlyMap<string, SearchAttributeType>): CompiledQuery {
  if (typeof query !== 'string') throw new VisibilityQueryError('query must be a string');
  const ast = parseQuery(query, customAttributes);
  return { ast, matches: compileMatcher(ast.where), compare: compileComparator(ast.orderBy) };
}
