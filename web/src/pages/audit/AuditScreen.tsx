/** The auditor's screen (AUDIT, read-only): the audit trail's chain check, and any case's workflow history with its replay. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiProblem } from '../../api';
import { Button, Field, fieldError, Page, Problem, TextInput } from '../../components/ui';
import { useI18n } from '../../i18n';
import { go } from '../../router';
import { CaseHistory } from './CaseHistory';
import { ChainCheck } from './ChainCheck';

/** Problems about the code itself go next to the field; others in a banner. */
function codeProblem(problem: unknown, t: (vi: string, en: string) => string): string | undefined {
  if (problem instanceof ApiProblem && (problem.code === 'CASE_NOT_FOUND' || problem.code === 'HISTORY_NOT_AVAILABLE')) return t(problem.vi, problem.en);
  return fieldError(problem, 'code');
}

export function AuditScreen({ route }: { route: string[] }) {
  const { t } = useI18n();
  const current = route[1] ?? '';
  const [code, setCode] = useState(current);
  const [problem, setProblem] = useState<unknown>(null);
  const onProblem = useCallback((p: unknown) => setProblem(p), []);
  useEffect(() => setCode(current), [current]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const wanted = code.trim();
    if (!wanted) {
      setProblem(new ApiProblem(400, 'INVALID_INPUT', 'Nhập mã hồ sơ cần xem.', 'Enter the case code.', { fields: [{ field: 'code', problem: t('Nhập mã hồ sơ cần xem.', 'Enter the case code.') }] }));
      return;
    }
    setProblem(null);
    go('audit', wanted);
  };
  const aboutCode = codeProblem(problem, t);
  return (
    <Page title={t('Kiểm tra, giám sát lịch sử hồ sơ', 'Audit: case histories')}>
      <ChainCheck />
      <form className="card au-row au-lookup" onSubmit={submit}>
        <Field label={t('Mã hồ sơ', 'Case code')} error={aboutCode} hint={t('Ví dụ 000.15.43.H35-261123-0001', 'e.g. 000.15.43.H35-261123-0001')}>
          <TextInput name="code" value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" />
        </Field>
        <Button type="submit">{t('Xem lịch sử', 'Show history')}</Button>
      </form>
      {aboutCode ? null : <Problem problem={problem} />}
      {current ? <CaseHistory key={current} code={current} onProblem={onProblem} /> : null}
    </Page>
  );
}
