/**
 * The deadlines a reception would get, shown before it is saved: the reception step's working
 * hours (4, or 16 for complex or numerous originals) and the overall rule — received before 15:00,
 * the result the same day, else the next working day — in the unit's own calendar.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { Problem } from '../../components/ui';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { MAX_EXTENSION_DAYS_WITHOUT_AGREEMENT } from '../../../../domain/certification/deadlines';
import { useComplexProposal } from './complexProposal';

interface Due {
  due: string;
  workingHours: number;
  explanation: string[];
  warnings: string[];
}

export const RECEIVE_HOURS = 4;
export const COMPLEX_RECEIVE_HOURS = 16;

export function DuePreview(props: { unitId: string; complex: boolean }) {
  const { t } = useI18n();
  const [step, setStep] = useState<Due | null>(null);
  const [overall, setOverall] = useState<Due | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const hours = props.complex ? COMPLEX_RECEIVE_HOURS : RECEIVE_HOURS;
  const extension = useComplexProposal(props.unitId, undefined, overall?.due, props.complex);
  useEffect(() => {
    if (!props.unitId) return;
    let live = true;
    setProblem(null);
    const unit = encodeURIComponent(props.unitId);
    Promise.all([api<Due>('GET', `/api/calendar/due?unitId=${unit}&hours=${hours}`), api<Due>('GET', `/api/calendar/due?unitId=${unit}&rule=same-day-cutoff`)])
      .then(([s, o]) => {
        if (!live) return;
        setStep(s);
        setOverall(o);
      })
      .catch((err: unknown) => live && setProblem(err));
    return () => {
      live = false;
    };
  }, [props.unitId, hours]);
  return (
    <div className="cs-due-preview" data-testid="due-preview">
      <h3>{t('Thời hạn dự kiến nếu tiếp nhận bây giờ', 'Deadlines if received now')}</h3>
      <Problem problem={problem} />
      {step && overall ? (
        <>
          <dl className="cs-facts">
            <dt>{t(`Tiếp nhận, quét và trình ký (${hours} giờ làm việc)`, `Receive, scan and submit (${hours} working hours)`)}</dt>
            <dd data-testid="due-step">{dateTime(step.due)}</dd>
            <dt>{t('Hạn trả kết quả', 'Result due')}</dt>
            <dd data-testid="due-overall">{dateTime(overall.due)}</dd>
            {props.complex && extension.proposal && extension.proposal.neededDays > 0 ? (
              <>
                <dt>{t('Hạn trả kết quả, gia hạn vì hồ sơ phức tạp', 'Result due, extended as complex')}</dt>
                <dd data-testid="due-complex">
                  {dateTime(extension.proposal.dueAfter[Math.min(extension.proposal.neededDays, MAX_EXTENSION_DAYS_WITHOUT_AGREEMENT) - 1])}{' '}
                  <span className="cs-muted">({t(`${Math.min(extension.proposal.neededDays, MAX_EXTENSION_DAYS_WITHOUT_AGREEMENT)} ngày làm việc`, `${Math.min(extension.proposal.neededDays, MAX_EXTENSION_DAYS_WITHOUT_AGREEMENT)} working days`)})</span>
                  {extension.proposal.neededDays > MAX_EXTENSION_DAYS_WITHOUT_AGREEMENT ? (
                    <div className="cs-late">
                      {t(
                        `Các bước cần ${extension.proposal.neededDays} ngày; gia hạn thêm cần văn bản thỏa thuận với người yêu cầu.`,
                        `The steps need ${extension.proposal.neededDays} days; more needs the requester’s written agreement.`,
                      )}
                    </div>
                  ) : null}
                </dd>
              </>
            ) : null}
          </dl>
          <details>
            <summary>{t('Cách tính', 'How it is counted')}</summary>
            <ul className="cs-explanation">
              {overall.explanation.map((line, i) => (
                <li key={i}>{line}</li>
              ))}
            </ul>
          </details>
          {[...new Set([...step.warnings, ...overall.warnings])].map((w) => (
            <div key={w} className="notice">
              {w}
            </div>
          ))}
        </>
      ) : null}
    </div>
  );
}
