/**
 * The dialogs of a case's actions that need words from the officer: refusal, extension, withdrawal,
 * return, the complex flag and the correction of the originals declared.
 */
import { useState } from 'react';
import { ApiProblem } from '../../api';
import { Button, Field, fieldError, Problem, Select, TextInput } from '../../components/ui';
import { useI18n } from '../../i18n';
import { REFUSAL_GROUND_CODES, REFUSAL_GROUNDS, type RefusalGround } from '../../../../domain/certification/refusalGrounds';
import { MAX_EXTENSION_DAYS_WITHOUT_AGREEMENT } from '../../../../domain/certification/deadlines';
import { actOn, type CaseAction } from './caseActions';
import { useCaseAction } from './caseLock';
import { Dialog } from './Dialog';
import { bannerProblem } from './formProblems';
import { ScanUpload } from './ScanUpload';
import type { CaseView, UploadedFile } from './types';

interface DialogProps {
  caseCode: string;
  onClose(): void;
  onDone(view: CaseView): void;
  onFailed(err: unknown): void;
}

/**
 * Runs an action, keeps the dialog open with the problem next to its field, closes it on success.
 * A case that has moved on meanwhile is the case screen's to tell, not the dialog's.
 */
export function useDialogAction(props: DialogProps, action: CaseAction) {
  const { running, locked, problem, run: runAction } = useCaseAction();
  const run = (body: Record<string, unknown>) =>
    runAction(action, async () => {
      let view: CaseView;
      try {
        view = await actOn(props.caseCode, action, body);
      } catch (err) {
        if (!(err instanceof ApiProblem && (err.code === 'CASE_CLOSED' || err.code === 'WRONG_STATE'))) throw err;
        props.onFailed(err);
        return;
      }
      props.onDone(view);
      props.onClose();
    });
  return { busy: running !== null, locked, problem, run };
}

/** The dialog's confirm and cancel buttons: both wait while any action of the case runs. */
export function DialogButtons(props: { confirm: string; kind?: 'primary' | 'danger'; busy: boolean; locked: boolean; onConfirm(): void; onCancel(): void }) {
  const { t } = useI18n();
  return (
    <>
      <Button kind={props.kind ?? 'primary'} busy={props.busy} disabled={props.locked} onClick={props.onConfirm}>
        {props.confirm}
      </Button>
      <Button kind="secondary" disabled={props.locked} onClick={props.onCancel}>
        {t('Hủy', 'Cancel')}
      </Button>
    </>
  );
}

export function TextArea(props: { name: string; value: string; onChange(v: string): void; rows?: number }) {
  return <textarea name={props.name} className="input" rows={props.rows ?? 3} value={props.value} onChange={(e) => props.onChange(e.target.value)} />;
}

export function RefuseDialog(props: DialogProps) {
  const { t } = useI18n();
  const [ground, setGround] = useState<RefusalGround | ''>('');
  const [note, setNote] = useState('');
  const [groundMissing, setGroundMissing] = useState(false);
  const { busy, locked, problem, run } = useDialogAction(props, 'refuse');
  // The API would list every ground's code; the officer only needs to be told to pick one.
  const confirm = () => {
    setGroundMissing(ground === '');
    if (ground !== '') void run({ ground, note });
  };
  return (
    <Dialog
      title={t('Từ chối chứng thực', 'Refuse to certify')}
      onClose={props.onClose}
      actions={<DialogButtons confirm={t('Xác nhận từ chối', 'Confirm the refusal')} kind="danger" busy={busy} locked={locked} onConfirm={confirm} onCancel={props.onClose} />}
    >
      <Field label={t('Căn cứ từ chối', 'Ground')} required error={groundMissing ? t('Chọn một căn cứ từ chối.', 'Choose a ground.') : fieldError(problem, 'ground')}>
        <Select
          name="ground"
          value={ground}
          onChange={(e) => {
            setGround(e.target.value as RefusalGround);
            // A ground chosen answers the earlier "choose a ground".
            setGroundMissing(false);
          }}
        >
          <option value="">{t('— Chọn căn cứ —', '— Choose a ground —')}</option>
          {REFUSAL_GROUND_CODES.map((g) => (
            <option key={g} value={g}>
              {REFUSAL_GROUNDS[g]}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('Ghi chú cho công dân', 'Note for the citizen')} required error={fieldError(problem, 'note')}>
        <TextArea name="note" value={note} onChange={setNote} />
      </Field>
      <Problem problem={bannerProblem(problem, (f) => f === 'ground' || f === 'note')} />
    </Dialog>
  );
}

export function ExtendDialog(props: DialogProps & { alreadyGranted: number }) {
  const { t } = useI18n();
  const [days, setDays] = useState('1');
  const [reason, setReason] = useState('');
  const [agreement, setAgreement] = useState<UploadedFile | null>(null);
  const { busy, locked, problem, run } = useDialogAction(props, 'extend');
  const total = props.alreadyGranted + (Number(days) || 0);
  const needsAgreement = total > MAX_EXTENSION_DAYS_WITHOUT_AGREEMENT;
  const agreementProblem =
    problem instanceof ApiProblem && problem.code === 'EXTENSION_NEEDS_AGREEMENT' ? t(problem.vi, problem.en) : fieldError(problem, 'writtenAgreementFileId');
  return (
    <Dialog
      title={t('Gia hạn thời hạn trả kết quả', 'Extend the deadline')}
      onClose={props.onClose}
      actions={
        <DialogButtons
          confirm={t('Gia hạn', 'Extend')}
          busy={busy}
          locked={locked}
          onConfirm={() => void run({ workingDays: /^\d+$/.test(days.trim()) ? Number(days) : days, reason, ...(agreement ? { writtenAgreementFileId: agreement.fileId } : {}) })}
          onCancel={props.onClose}
        />
      }
    >
      <Field
        label={t('Số ngày làm việc gia hạn', 'Working days')}
        required
        error={fieldError(problem, 'workingDays')}
        hint={t(
          `Đã gia hạn ${props.alreadyGranted} ngày. Tổng quá ${MAX_EXTENSION_DAYS_WITHOUT_AGREEMENT} ngày làm việc phải có văn bản thỏa thuận với người yêu cầu.`,
          `${props.alreadyGranted} days granted so far. Beyond ${MAX_EXTENSION_DAYS_WITHOUT_AGREEMENT} working days in all needs the requester’s written agreement.`,
        )}
      >
        <TextInput name="workingDays" inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} />
      </Field>
      <Field label={t('Lý do gia hạn', 'Reason')} required error={fieldError(problem, 'reason')}>
        <TextArea name="reason" value={reason} onChange={setReason} />
      </Field>
      {needsAgreement || agreementProblem ? (
        <ScanUpload label={t('Văn bản thỏa thuận với người yêu cầu', 'Written agreement with the requester')} onUploaded={setAgreement} error={agreementProblem} preview={false} />
      ) : null}
      <Problem problem={problem instanceof ApiProblem && problem.code === 'EXTENSION_NEEDS_AGREEMENT' ? null : bannerProblem(problem, (f) => ['workingDays', 'reason', 'writtenAgreementFileId'].includes(f))} />
    </Dialog>
  );
}

/** Withdrawal at the citizen's request, or the leader's return to the officer: one reason. */
export function ReasonDialog(props: DialogProps & { action: 'withdraw' | 'return'; title: string; label: string; confirm: string }) {
  const [reason, setReason] = useState('');
  const { busy, locked, problem, run } = useDialogAction(props, props.action);
  return (
    <Dialog
      title={props.title}
      onClose={props.onClose}
      actions={<DialogButtons confirm={props.confirm} kind={props.action === 'withdraw' ? 'danger' : 'primary'} busy={busy} locked={locked} onConfirm={() => void run({ reason })} onCancel={props.onClose} />}
    >
      <Field label={props.label} required error={fieldError(problem, 'reason')}>
        <TextArea name="reason" value={reason} onChange={setReason} />
      </Field>
      <Problem problem={bannerProblem(problem, (f) => f === 'reason')} />
    </Dialog>
  );
}
