/**
 * "Thông tin yêu cầu hỗ trợ" (seed 003): a unit of the officer's files a request — the unit and
 * service, the requester, the coordination contact, the feedback e-mail, the title and description,
 * and attachments uploaded one by one as they are chosen. The API's refusal of a field is shown at
 * that field; once filed, the request's own page opens.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { Button, Field, fieldError, Page, Problem, Select, TextInput } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n';
import { useOfficer } from '../../officer';
import { go } from '../../router';
import { bannerProblem } from '../cases/formProblems';
import { AttachmentsField, type AttachmentRow } from './AttachmentsField';
import type { SupportView } from './types';
import { useScopeUnits, useSupportCatalog } from './useSupportData';
import './support.css';

interface FormState {
  unitId: string;
  serviceGroup: string;
  service: string;
  requesterName: string;
  requesterPhone: string;
  contactName: string;
  contactPhone: string;
  feedbackEmail: string;
  notifyEachChange: boolean;
  title: string;
  description: string;
}

const FIELDS = ['unitId', 'serviceGroup', 'service', 'requesterName', 'requesterPhone', 'contactName', 'contactPhone', 'feedbackEmail', 'notifyEachChange', 'title', 'description'];

export function SupportForm() {
  const { t } = useI18n();
  const { officer } = useOfficer();
  const { catalog, problem: catalogProblem } = useSupportCatalog();
  const scope = useScopeUnits();
  const [form, setForm] = useState<FormState>({
    unitId: '',
    serviceGroup: '',
    service: '',
    requesterName: officer?.fullName ?? '',
    requesterPhone: '',
    contactName: '',
    contactPhone: '',
    feedbackEmail: '',
    notifyEachChange: false,
    title: '',
    description: '',
  });
  const [rows, setRows] = useState<AttachmentRow[]>([]);
  const [waitUploads, setWaitUploads] = useState(false);
  const { busy, problem, run } = useAction({ exclusive: true });

  // The officer's own units first (a commune, not its desks), then the rest of his scope.
  const mine = new Set(officer?.units.map((u) => u.id) ?? []);
  const units = [...scope.filter((u) => mine.has(u.id)), ...scope.filter((u) => !mine.has(u.id))];
  useEffect(() => {
    if (!form.unitId && units[0]) setForm((f) => ({ ...f, unitId: units[0]!.id }));
  }, [units, form.unitId]);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  const group = catalog?.groups.find((g) => g.code === form.serviceGroup);
  const uploading = rows.some((r) => !r.stored && !r.problem);
  const err = (field: string) => fieldError(problem, field);
  const attachmentError = problem ? (err('attachmentFileIds') ?? rowsProblem(problem)) : undefined;

  function rowsProblem(p: unknown): string | undefined {
    const f = (p as { fields?: Array<{ field: string }> }).fields?.find((x) => x.field.startsWith('attachmentFileIds'));
    return f ? fieldError(p, f.field) : undefined;
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (uploading) {
      setWaitUploads(true);
      return;
    }
    setWaitUploads(false);
    void run(async () => {
      const body = {
        ...form,
        service: form.service || undefined,
        contactName: form.contactName.trim() || undefined,
        contactPhone: form.contactPhone.trim() || undefined,
        attachmentFileIds: rows.filter((r) => r.stored).map((r) => r.stored!.fileId),
      };
      const filed = await api<SupportView>('POST', '/api/support/requests', { body });
      go('support', filed.code);
    });
  };

  const banner = bannerProblem(problem, (f) => FIELDS.includes(f) || f.startsWith('attachmentFileIds'));
  return (
    <Page title={t('Thêm yêu cầu hỗ trợ', 'New support request')}>
      <form className="card sp-form" onSubmit={submit} noValidate aria-label={t('Thông tin yêu cầu hỗ trợ', 'Support request')}>
        <h2 className="sp-form-title">{t('Thông tin yêu cầu hỗ trợ', 'Support request')}</h2>
        <Problem problem={catalogProblem} />
        <div className="sp-grid">
          <Field label={t('Đơn vị yêu cầu hỗ trợ', 'Requesting unit')} required error={err('unitId')}>
            <Select name="unitId" value={form.unitId} onChange={(e) => set('unitId', e.target.value)}>
              {units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t('Nhóm dịch vụ', 'Service group')} required error={err('serviceGroup')}>
            <Select
              name="serviceGroup"
              value={form.serviceGroup}
              onChange={(e) => {
                set('serviceGroup', e.target.value);
                set('service', '');
              }}
            >
              <option value="">{t('— Chọn nhóm dịch vụ —', '— Choose a group —')}</option>
              {catalog?.groups.map((g) => (
                <option key={g.code} value={g.code}>
                  {g.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t('Dịch vụ', 'Service')} error={err('service')}>
            <Select name="service" value={form.service} disabled={!group || group.services.length === 0} onChange={(e) => set('service', e.target.value)}>
              <option value="">{group && group.services.length === 0 ? t('(không có dịch vụ riêng)', '(no services)') : t('— Chọn dịch vụ —', '— Choose a service —')}</option>
              {group?.services.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t('Người yêu cầu', 'Requester')} required error={err('requesterName')}>
            <TextInput name="requesterName" value={form.requesterName} onChange={(e) => set('requesterName', e.target.value)} autoComplete="name" />
          </Field>
          <Field label={t('Số điện thoại', 'Phone')} required error={err('requesterPhone')}>
            <TextInput name="requesterPhone" inputMode="tel" value={form.requesterPhone} onChange={(e) => set('requesterPhone', e.target.value)} />
          </Field>
        </div>

        <fieldset className="sp-fieldset">
          <legend>{t('Đầu mối phối hợp xử lý', 'Coordination contact')}</legend>
          <div className="sp-grid">
            <Field label={t('Người liên hệ', 'Contact person')} error={err('contactName')}>
              <TextInput name="contactName" value={form.contactName} onChange={(e) => set('contactName', e.target.value)} />
            </Field>
            <Field label={t('Số điện thoại liên hệ', 'Contact phone')} error={err('contactPhone')}>
              <TextInput name="contactPhone" inputMode="tel" value={form.contactPhone} onChange={(e) => set('contactPhone', e.target.value)} />
            </Field>
            <Field label={t('Email phản hồi', 'Feedback e-mail')} required error={err('feedbackEmail')}>
              <TextInput name="feedbackEmail" type="email" value={form.feedbackEmail} onChange={(e) => set('feedbackEmail', e.target.value)} />
            </Field>
          </div>
          <label className="cs-checkbox">
            <input type="checkbox" name="notifyEachChange" checked={form.notifyEachChange} onChange={(e) => set('notifyEachChange', e.target.checked)} />
            {t('Nhận email ở mỗi lần đổi trạng thái', 'E-mail me at every status change')}
          </label>
        </fieldset>

        <fieldset className="sp-fieldset">
          <legend>{t('Nội dung cần hỗ trợ', 'What needs support')}</legend>
          <Field label={t('Tên yêu cầu', 'Title')} required error={err('title')}>
            <TextInput name="title" value={form.title} onChange={(e) => set('title', e.target.value)} />
          </Field>
          <Field label={t('Mô tả yêu cầu', 'Description')} required error={err('description')}>
            <textarea name="description" className="input" rows={6} value={form.description} onChange={(e) => set('description', e.target.value)} />
          </Field>
          <AttachmentsField
            rows={rows}
            setRows={setRows}
            extensions={catalog?.attachments.extensions ?? []}
            maxFiles={catalog?.attachments.maxFiles ?? 10}
            maxBytes={catalog?.attachments.maxBytes ?? 10 * 1048576}
            error={attachmentError}
          />
        </fieldset>

        {waitUploads && uploading ? <p className="warning-banner">{t('Đang tải tệp đính kèm lên, vui lòng chờ xong rồi gửi.', 'Attachments are still uploading; send once they are done.')}</p> : null}
        <Problem problem={banner} />
        <div className="sp-form-actions">
          <Button type="submit" busy={busy} name="send">
            {t('Gửi', 'Send')}
          </Button>
          <Button kind="secondary" onClick={() => go('support')}>
            {t('Quay lại danh sách', 'Back to the list')}
          </Button>
        </div>
      </form>
    </Page>
  );
}
