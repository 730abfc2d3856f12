/** Splitting an API refusal between the fields of a form and the banner above it. */
import { ApiProblem } from '../../api';

/**
 * The problem to show in the banner: none when every field the API named is shown next to its
 * own input (`shown` says which paths the form displays), the whole problem otherwise.
 */
export function bannerProblem(problem: unknown, shown: (field: string) => boolean): unknown {
  if (!(problem instanceof ApiProblem)) return problem;
  const fields = problem.fields;
  return fields.length > 0 && fields.every((f) => shown(f.field)) ? null : problem;
}
