/**
 * The English of a zod issue. The schemas word their problems for the officer in Vietnamese; the
 * English beside them is derived from what the issue records (the expected type, the bound, the
 * format), or taken from `params.en` where a custom check supplies its own.
 */
import type { z } from 'zod';

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  date: 'a date',
  null: 'null',
};

const FORMATS: Readonly<Record<string, string>> = {
  uuid: 'is not a valid identifier',
  email: 'is not a valid e-mail address',
  datetime: 'is not a valid date and time',
  date: 'is not a valid date',
  base64: 'is not base64 data',
  regex: 'is not in the expected form',
};

function bound(origin: string, n: number | bigint, what: 'at least' | 'at most'): string {
  if (origin === 'string') return what === 'at least' && Number(n) === 1 ? 'must not be empty' : `must have ${what} ${n} characters`;
  if (origin === 'array' || origin === 'set') return what === 'at least' && Number(n) === 1 ? 'must not be empty' : `must have ${what} ${n} items`;
  return `must be ${what} ${n}`;
}

export function englishProblem(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if ('input' in issue && issue.input === undefined) return 'is missing';
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'too_small':
      return bound(issue.origin, issue.minimum, 'at least');
    case 'too_big':
      return bound(issue.origin, issue.maximum, 'at most');
    case 'invalid_format':
      if (issue.input === '') return 'is missing';
      if (issue.format === 'starts_with' || issue.format === 'ends_with' || issue.format === 'includes') return FORMATS.regex!;
      return FORMATS[issue.format] ?? `is not a valid ${issue.format}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `has unknown fields: ${issue.keys.join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'custom': {
      const en = issue.params?.en;
      return typeof en === 'string' ? en : 'is not valid';
    }
    default:
      return 'is not valid';
  }
}
