/** Attributes and records shared by the visibility tests. */
import type { SearchAttributeType, VisibilityRecord } from './types';

export const CUSTOM = new Map<string, SearchAttributeType>([
  ['CustomKeywordField', 'Keyword'],
  ['CustomTextField', 'Text'],
  ['CustomIntField', 'Int'],
  ['CustomDoubleField', 'Double'],
  ['CustomBoolField', 'Bool'],
  ['CustomDatetimeField', 'Datetime'],
  ['Tags', 'KeywordList'],
  ['Custom Field', 'Keyword'],
  ['Order', 'Keyword'],
]);

export const T0 = Date.parse('2026-11-23T10:00:00Z');

export function record(overrides: Partial<VisibilityRecord> = {}): VisibilityRecord {
  return {
    workflowId: 'case-1',
    runId: 'run-1',
    workflowType: 'CertifyCopy',
    taskQueue: 'cases',
    status: 'Running',
    startTime: T0,
    executionTime: T0,
    historyLength: 12,
    searchAttributes: {
      CustomKeywordField: 'commune-7',
      CustomTextField: 'Bản sao chứng thực giấy khai sinh',
      CustomIntField: 42,
      CustomDoubleField: 2.5,
      CustomBoolField: true,
      CustomDatetimeField: T0 + 3_600_000,
      Tags: ['urgent', 'paper'],
      'Custom Field': 'spaced',
    },
    ...overrides,
  };
}
