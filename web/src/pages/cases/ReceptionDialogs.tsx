/**
 * The reception's two corrections that change the case's terms: the complex flag (the reception
 * gets 16 working hours and the overall deadline the extension that needs, asked for explicitly
 * with a reason) and the originals declared (pages and copies, so the fee is computed again).
 */
import { useState } from 'react';
import { ApiProblem } from '../../api';
import { Field, fieldError, Problem } from '../../components/ui';
import { dateTime, vnd } from '../../format';
import { useI18n } from '../../i18n';
import { COMPLEX_RECEIVE_BUDGET_HOURS, MAX_EXTENSION_DAYS_WITHOUT_AGREEMENT } from '../../../../domain/certification/deadlines';
import { DialogButtons, TextArea, useDialogAction } from './CaseDialogs';
import { Dialog } from './Dialog';
import { documentsBody, feeOf, type OriginalRow } from './feePreview';
import { bannerProblem } from './formProblems';
import { OriginalsEditor } from './OriginalsEditor';
import { ScanUpload } from './ScanUpload';
import type { CaseScreenView, CaseView, UploadedFile } from './types';

interface DialogProps {
  caseCode: string;
  onClose(): void;
  onDone(view: CaseView): void;
  onFailed(err: unknown): void;
}

export function ComplexDialog(props: DialogProps & { view: CaseScreenView }) {
  const { t } = useI18n();
  const { view } = props;
  const marking = !view.complex;
  const [reason, setReason] = useState('');
  const [agreement, setAgreement] = useState<UploadedFile | null>(null);
  const { busy, locked, problem, run } = useDialogAction(props, 'complex');
  // The workflow's own count, in the calendar the case was received with.
  const proposal = view.complexExtension;
  const short = proposal !== undefined && proposal.withoutAgreement.days < proposal.neededDays;
  const option = proposal ? (agreement ? proposal.withAgreement : proposal.withoutAgreement) : undefined;

  return (
    <Dialog
      title={marking ? t('Đánh dấu hồ sơ phức tạp, số lượng lớn', 'Mark the case complex or numerous') : t('Bỏ đánh dấu hồ sơ phức tạp', 'The case is not complex')}
      onClose={props.onClose}
      actions={
        <DialogButtons
          confirm={marking ? t('Xác nhận hồ sơ phức tạp', 'Confirm: complex') : t('Xác nhận bỏ đánh dấu', 'Confirm: not complex')}
          busy={busy}
          locked={locked}
          onConfirm={() => void run({ complex: marking, reason, ...(agreement ? { writtenAgreementFileId: agreement.fileId } : {}) })}
          onCancel={props.onClose}
        />
      }
    >
      {marking ? (
        <div className="cs-dialog-explain" data-testid="complex-proposal">
          <p>
            {t(
              `Thời hạn tiếp nhận, quét và trình ký thành ${COMPLEX_RECEIVE_BUDGET_HOURS} giờ làm việc. Để lãnh đạo ký và cấp số kịp hạn, hạn trả kết quả được gia hạn theo quy định (không quá ${MAX_EXTENSION_DAYS_WITHOUT_AGREEMENT} ngày làm việc; dài hơn phải có văn bản thỏa thuận với người yêu cầu). Công dân được báo hẹn mới qua SMS, cổng dịch vụ công và thư điện tử.`,
              `Reception gets ${COMPLEX_RECEIVE_BUDGET_HOURS} working hours. So that signature and seal fit, the overall deadline is extended as the law allows (at most ${MAX_EXTENSION_DAYS_WITHOUT_AGREEMENT} working days; longer only with the requester’s written agreement). The citizen is told of the new appointment by SMS, in the portal and by e-mail.`,
            )}
          </p>
          {proposal && option ? (
            <p>
              <strong>
                {option.days > 0
                  ? t(`Gia hạn ${option.days} ngày làm việc: hạn trả kết quả mới ${dateTime(option.dueAt)}.`, `Extension of ${option.days} working days: new deadline ${dateTime(option.dueAt)}.`)
                  : t(`Không cần gia hạn: hạn trả kết quả ${dateTime(view.overallDueAt)} vẫn đủ.`, `No extension needed: the deadline ${dateTime(view.overallDueAt)} suffices.`)}
              </strong>
              {short && !agreement ? (
                <span className="cs-late">
                  {' '}
                  {t(
                    `Cần ${proposal.neededDays} ngày để đủ thời hạn các bước (đến ${dateTime(proposal.withAgreement.dueAt)}); đính kèm văn bản thỏa thuận với người yêu cầu để gia hạn đủ.`,
                    `The steps need ${proposal.neededDays} days (until ${dateTime(proposal.withAgreement.dueAt)}); attach the requester’s written agreement to extend that far.`,
                  )}
                </span>
              ) : null}
            </p>
          ) : null}
        </div>
      ) : (
        <p className="cs-dialog-explain">
          {t(
            'Thời hạn tiếp nhận trở lại 4 giờ làm việc, tính từ khi bắt đầu bước tiếp nhận. Hạn trả kết quả đã gia hạn và đã báo công dân được giữ nguyên.',
            'Reception goes back to 4 working hours from the step’s start. An extension already granted and told to the citizen stays.',
          )}
        </p>
      )}
      <Field label={marking ? t('Lý do hồ sơ phức tạp', 'Why the case is complex') : t('Lý do bỏ đánh dấu', 'Why it is not complex')} required error={fieldError(problem, 'reason')}>
        <TextArea name="reason" value={reason} onChange={setReason} />
      </Field>
      {marking && short ? (
        <ScanUpload label={t('Văn bản thỏa thuận với người yêu cầu (nếu có)', 'Written agreement with the requester (if any)')} onUploaded={setAgreement} error={fieldError(problem, 'writtenAgreementFileId')} preview={false} />
      ) : null}
      <Problem problem={bannerProblem(problem, (f) => f === 'reason' || f === 'writtenAgreementFileId')} />
    </Dialog>
  );
}

const rowsOf = (view: CaseView): OriginalRow[] => view.documents.map((d) => ({ type: d.type, issuer: d.issuer, pages: String(d.pages), copies: String(d.copies) }));

export function OriginalsDialog(props: DialogProps & { view: CaseView }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<OriginalRow[]>(() => rowsOf(props.view));
  const [reason, setReason] = useState('');
  const { busy, locked, problem, run } = useDialogAction(props, 'originals');
  const fee = feeOf(rows);
  const documentsProblem = problem instanceof ApiProblem && problem.fields.some((f) => f.field.startsWith('documents')) ? problem : null;
  return (
    <Dialog
      title={t('Sửa bản chính đã khai', 'Correct the originals declared')}
      onClose={props.onClose}
      actions={<DialogButtons confirm={t('Lưu thay đổi', 'Save the correction')} busy={busy} locked={locked} onConfirm={() => void run({ documents: documentsBody(rows), reason })} onCancel={props.onClose} />}
    >
      <p className="cs-dialog-explain">
        {t(
          `Lệ phí hiện tại ${vnd(props.view.fee.totalVnd)}; sau khi sửa ${vnd(fee.totalVnd)}. Thay đổi được ghi vào nhật ký hồ sơ.`,
          `The fee is ${vnd(props.view.fee.totalVnd)} now, ${vnd(fee.totalVnd)} after the correction. The change is kept in the case's history.`,
        )}
      </p>
      <OriginalsEditor rows={rows} onChange={setRows} problem={documentsProblem} />
      <Field label={t('Lý do sửa', 'Why')} required error={fieldError(problem, 'reason')}>
        <TextArea name="reason" value={reason} onChange={setReason} />
      </Field>
      <Problem problem={bannerProblem(problem, (f) => f === 'reason' || f.startsWith('documents'))} />
    </Dialog>
  );
}
