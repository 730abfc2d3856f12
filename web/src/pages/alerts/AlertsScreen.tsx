/**
 * "Đăng ký nhận cảnh báo lỗi" (seed 003): the province's subscriptions as the seed's table, the
 * register form (unit, service type, several phones and e-mails), the code step for each address,
 * pause/resume/remove; and the alerts raised with each message's delivery status.
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { Button, Field, Page, Problem, Select, TextInput, fieldError } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';

interface Address {
  id: string;
  channel: 'sms' | 'email';
  address: string;
  confirmed: boolean;
}
interface Subscription {
  id: string;
  unit: { id: string; name: string };
  serviceType: string;
  status: 'active' | 'paused';
  addresses: Address[];
}
interface SubscriptionList {
  items: Subscription[];
  units: Array<{ id: string; code: string; name: string }>;
  serviceTypes: Array<{ code: string; vi: string; en: string }>;
}
interface Alert {
  id: string;
  kind: string;
  unit: { name: string } | null;
  title: string;
  detail: string;
  since: string;
  link: string | null;
  raisedAt: string;
  repeats: number;
  deliveries: Array<{ channel: 'sms' | 'email'; address: string; status: 'pending' | 'sent' | 'held' | 'failed'; attempts: number; lastError: string | null }>;
}

const DELIVERY: Record<Alert['deliveries'][number]['status'], [string, string]> = {
  pending: ['Đang chờ gửi', 'Waiting'],
  sent: ['Đã gửi', 'Sent'],
  held: ['Gộp vào bản tổng hợp', 'In the hourly summary'],
  failed: ['Không gửi được', 'Failed'],
};

export function AlertsScreen({ route }: { route: string[] }) {
  const { t } = useI18n();
  const tab = route[1] === 'list' ? 'list' : 'subscriptions';
  return (
    <>
      <nav className="tabs admin-tabs" aria-label={t('Cảnh báo lỗi', 'Error alerts')}>
        <a href="#/alerts" className={tab === 'subscriptions' ? 'active' : ''}>
          {t('Đăng ký nhận cảnh báo lỗi', 'Alert subscriptions')}
        </a>
        <a href="#/alerts/list" className={tab === 'list' ? 'active' : ''}>
          {t('Cảnh báo đã phát', 'Alerts raised')}
        </a>
      </nav>
      {tab === 'list' ? <AlertList /> : <Subscriptions />}
    </>
  );
}

function Subscriptions() {
  const { t } = useI18n();
  const [list, setList] = useState<SubscriptionList | null>(null);
  const [loadProblem, setLoadProblem] = useState<unknown>(null);
  const [registering, setRegistering] = useState(false);
  const action = useAction({ exclusive: true });
  const load = useCallback(() => {
    api<SubscriptionList>('GET', '/api/alert-subscriptions').then(setList, setLoadProblem);
  }, []);
  useEffect(load, [load]);
  const label = (code: string) => {
    const s = list?.serviceTypes.find((x) => x.code === code);
    return s ? t(s.vi, s.en) : code;
  };
  const change = (path: string, method = 'POST') => void action.run(async () => {
    await api(method, path);
    load();
  });

  return (
    <Page
      title={t('Đăng ký nhận cảnh báo lỗi', 'Error-alert subscriptions')}
      actions={
        list && list.units.length > 0 && !registering ? (
          <Button onClick={() => setRegistering(true)}>{t('Đăng ký', 'Register')}</Button>
        ) : null
      }
    >
      <Problem problem={loadProblem ?? action.problem} />
      {list && list.units.length === 0 ? <p className="cs-muted">{t('Chỉ quản trị viên cấp tỉnh đăng ký nhận cảnh báo lỗi.', 'Only a province administrator registers for alerts.')}</p> : null}
      {list && registering ? (
        <RegisterForm
          list={list}
          onDone={() => {
            setRegistering(false);
            load();
          }}
        />
      ) : null}
      {list ? (
        <table className="grid static" data-testid="alert-subscriptions">
          <thead>
            <tr>
              <th>{t('STT', 'No.')}</th>
              <th>{t('Đơn vị nhận thông báo', 'Unit')}</th>
              <th>{t('Loại dịch vụ', 'Service type')}</th>
              <th>{t('Số điện thoại', 'Phones')}</th>
              <th>{t('Email', 'E-mails')}</th>
              <th>{t('Theo dõi', 'Following')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((s, i) => (
              <tr key={s.id}>
                <td>{i + 1}</td>
                <td>{s.unit.name}</td>
                <td>{label(s.serviceType)}</td>
                {(['sms', 'email'] as const).map((channel) => (
                  <td key={channel}>
                    {s.addresses
                      .filter((a) => a.channel === channel)
                      .map((a) => (
                        <AddressLine key={a.id} subscriptionId={s.id} address={a} onChanged={load} />
                      ))}
                  </td>
                ))}
                <td>
                  <div>{s.status === 'active' ? t('Đang theo dõi', 'Following') : t('Tạm dừng', 'Paused')}</div>
                  <Button kind="secondary" busy={action.busy} onClick={() => change(`/api/alert-subscriptions/${s.id}/${s.status === 'active' ? 'pause' : 'resume'}`)}>
                    {s.status === 'active' ? t('Tạm dừng', 'Pause') : t('Tiếp tục', 'Resume')}
                  </Button>{' '}
                  <Button kind="danger" busy={action.busy} onClick={() => (window.confirm(t('Xóa đăng ký này?', 'Remove this subscription?')) ? change(`/api/alert-subscriptions/${s.id}`, 'DELETE') : undefined)}>
                    {t('Xóa', 'Remove')}
                  </Button>
                </td>
              </tr>
            ))}
            {list.items.length === 0 ? (
              <tr>
                <td colSpan={6}>{t('Chưa có đăng ký nào.', 'No subscription yet.')}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
    </Page>
  );
}

/** One phone or e-mail: confirmed, or waiting for its code with the field to type it. */
function AddressLine({ subscriptionId, address, onChanged }: { subscriptionId: string; address: Address; onChanged: () => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const action = useAction({ exclusive: true });
  const base = `/api/alert-subscriptions/${subscriptionId}/addresses/${address.id}`;
  if (address.confirmed) {
    return (
      <div className="alert-address">
        {address.address} <span className="badge ok">{t('đã xác nhận', 'confirmed')}</span>
      </div>
    );
  }
  return (
    <div className="alert-address" data-testid={`confirm-${address.address}`}>
      {address.address} <span className="badge warn">{t('chờ xác nhận', 'awaiting code')}</span>
      <Field label={t(`Mã xác nhận gửi tới ${address.address}`, `Code sent to ${address.address}`)} error={fieldError(action.problem, 'code')}>
        <TextInput value={code} inputMode="numeric" maxLength={6} onChange={(e) => setCode(e.target.value)} />
      </Field>
      <Button busy={action.busy} onClick={() => void action.run(async () => {
        await api('POST', `${base}/confirm`, { body: { code } });
        onChanged();
      })}>
        {t('Xác nhận', 'Confirm')}
      </Button>{' '}
      <Button kind="secondary" busy={action.busy} onClick={() => void action.run(async () => void (await api('POST', `${base}/resend`)))}>
        {t('Gửi lại mã', 'Send a new code')}
      </Button>
      {action.problem && !fieldError(action.problem, 'code') ? <Problem problem={action.problem} /> : null}
    </div>
  );
}

function RegisterForm({ list, onDone }: { list: SubscriptionList; onDone: () => void }) {
  const { t } = useI18n();
  const [unitId, setUnitId] = useState(list.units[0]?.id ?? '');
  const [serviceType, setServiceType] = useState('');
  const [phones, setPhones] = useState(['']);
  const [emails, setEmails] = useState(['']);
  const action = useAction({ exclusive: true });
  const many = (label: string, name: 'phones' | 'emails', values: string[], set: (v: string[]) => void) => (
    <fieldset className="alert-many">
      <legend>
        {label}
        <span className="required"> *</span>
      </legend>
      {values.map((v, i) => (
        <Field key={i} label={`${label} ${i + 1}`} error={fieldError(action.problem, `${name}.${i}`) ?? (i === 0 ? fieldError(action.problem, name) : undefined)}>
          <TextInput name={`${name}.${i}`} value={v} onChange={(e) => set(values.map((x, j) => (j === i ? e.target.value : x)))} />
        </Field>
      ))}
      <Button kind="secondary" onClick={() => set([...values, ''])} name={`add-${name}`}>
        {t('+ Thêm mới', '+ Add')}
      </Button>
    </fieldset>
  );
  return (
    <form className="card" aria-label={t('Đăng ký thông tin nhận cảnh báo lỗi', 'Register for error alerts')} onSubmit={(e) => e.preventDefault()}>
      <h3>{t('Đăng ký thông tin nhận cảnh báo lỗi', 'Register for error alerts')}</h3>
      <Field label={t('Đơn vị', 'Unit')} required error={fieldError(action.problem, 'unitId')}>
        <Select name="unitId" value={unitId} onChange={(e) => setUnitId(e.target.value)}>
          {list.units.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('Loại dịch vụ', 'Service type')} required error={fieldError(action.problem, 'serviceType')}>
        <Select name="serviceType" value={serviceType} onChange={(e) => setServiceType(e.target.value)}>
          <option value="">{t('— Chọn loại dịch vụ —', '— Choose —')}</option>
          {list.serviceTypes.map((s) => (
            <option key={s.code} value={s.code}>
              {t(s.vi, s.en)}
            </option>
          ))}
        </Select>
      </Field>
      {many(t('Số điện thoại', 'Phone'), 'phones', phones, setPhones)}
      {many(t('Email', 'E-mail'), 'emails', emails, setEmails)}
      {action.problem && !fieldError(action.problem, 'phones') && !fieldError(action.problem, 'emails') ? <Problem problem={action.problem} /> : null}
      <div className="actions">
        <Button kind="secondary" onClick={onDone}>
          {t('Thoát', 'Close')}
        </Button>{' '}
        <Button
          busy={action.busy}
          onClick={() =>
            void action.run(async () => {
              await api('POST', '/api/alert-subscriptions', { body: { unitId, serviceType, phones: phones.filter((p) => p.trim()), emails: emails.filter((m) => m.trim()) } });
              onDone();
            })
          }
        >
          {t('Lưu', 'Save')}
        </Button>
      </div>
    </form>
  );
}

function AlertList() {
  const { t } = useI18n();
  const [items, setItems] = useState<Alert[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    api<{ items: Alert[] }>('GET', '/api/alerts').then((r) => setItems(r.items), setProblem);
  }, []);
  return (
    <Page title={t('Cảnh báo đã phát', 'Alerts raised')}>
      <Problem problem={problem} />
      {items ? (
        <table className="grid static" data-testid="alerts">
          <thead>
            <tr>
              <th>{t('Thời điểm', 'Raised')}</th>
              <th>{t('Lỗi', 'Failure')}</th>
              <th>{t('Tại', 'Where')}</th>
              <th>{t('Từ lúc', 'Since')}</th>
              <th>{t('Gửi tới', 'Sent to')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id}>
                <td>{dateTime(a.raisedAt)}</td>
                <td>
                  <div>{a.link ? <a href={a.link.replace(/^\//, '')}>{a.title}</a> : a.title}</div>
                  <div className="cs-muted">{a.detail}</div>
                  {a.repeats > 0 ? <div className="cs-muted">{t(`Lặp lại ${a.repeats} lần trong giờ`, `Repeated ${a.repeats} times within the hour`)}</div> : null}
                </td>
                <td>{a.unit?.name ?? t('Toàn hệ thống', 'Whole system')}</td>
                <td>{dateTime(a.since)}</td>
                <td>
                  {a.deliveries.map((d) => (
                    <div key={`${d.channel}${d.address}`} data-status={d.status}>
                      {d.channel === 'sms' ? 'SMS' : 'Email'} {d.address}: {t(...DELIVERY[d.status])}
                      {d.lastError && d.status !== 'sent' ? <span className="cs-muted"> ({d.lastError.slice(0, 80)})</span> : null}
                    </div>
                  ))}
                  {a.deliveries.length === 0 ? <span className="cs-muted">{t('Không có người nhận', 'No recipient')}</span> : null}
                </td>
              </tr>
            ))}
            {items.length === 0 ? (
              <tr>
                <td colSpan={5}>{t('Chưa có cảnh báo nào.', 'No alert yet.')}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
    </Page>
  );
}
