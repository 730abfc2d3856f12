/**
 * "Danh sách API" — the configured APIs a province administrator keeps for the console: list,
 * "+ Thêm mới", Sửa, Tắt/Bật. The session password is write-only: the list says whether one is
 * stored; leaving the field empty when editing keeps it.
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { Button, Field, Page, Problem, Select, TextInput, UnitSelect, fieldError } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n';
import type { ApiType, ConfiguredApi } from './types';

interface Item extends ConfiguredApi {
  bodyTemplate: string | null;
  sessionUsername: string | null;
  status: 'active' | 'disabled';
}
interface EndpointList {
  items: Item[];
  units: Array<{ id: string; code: string; name: string }>;
  types: ApiType[];
}

export function ApiEndpoints() {
  const { t } = useI18n();
  const [list, setList] = useState<EndpointList | null>(null);
  const [loadProblem, setLoadProblem] = useState<unknown>(null);
  const [editing, setEditing] = useState<Item | 'new' | null>(null);
  const action = useAction({ exclusive: true });
  const load = useCallback(() => {
    api<EndpointList>('GET', '/api/api-endpoints').then(setList, setLoadProblem);
  }, []);
  useEffect(load, [load]);
  const toggle = (e: Item) =>
    void action.run(async () => {
      await api('POST', `/api/api-endpoints/${e.id}/${e.status === 'active' ? 'disable' : 'enable'}`, { body: {} });
      load();
    });
  return (
    <Page title={t('Danh sách API đã cấu hình', 'Configured APIs')} actions={list && list.units.length > 0 && !editing ? <Button onClick={() => setEditing('new')}>{t('+ Thêm mới', '+ Add')}</Button> : null}>
      <Problem problem={loadProblem ?? action.problem} />
      {list && list.units.length === 0 ? <p className="cs-muted">{t('Chỉ quản trị viên cấp tỉnh cấu hình API.', 'Only a province administrator configures APIs.')}</p> : null}
      {list && editing ? (
        <EndpointForm
          key={editing === 'new' ? 'new' : editing.id}
          list={list}
          item={editing === 'new' ? undefined : editing}
          onDone={() => {
            setEditing(null);
            load();
          }}
        />
      ) : null}
      {list ? (
        <table className="grid static" data-testid="api-endpoints">
          <thead>
            <tr>
              <th>{t('STT', 'No.')}</th>
              <th>{t('Loại API', 'API type')}</th>
              <th>{t('Đơn vị', 'Unit')}</th>
              <th>{t('Tên API', 'Name')}</th>
              <th>{t('URL API lấy session', 'Session URL')}</th>
              <th>{t('URL API lấy dữ liệu', 'Data URL')}</th>
              <th>{t('Mật khẩu', 'Password')}</th>
              <th>{t('Trạng thái', 'Status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.items.map((e, i) => (
              <tr key={e.id} className={e.status === 'disabled' ? 'inactive' : ''}>
                <td>{i + 1}</td>
                <td>{e.apiTypeVi}</td>
                <td>{e.unit.name}</td>
                <td>{e.name}</td>
                <td className="api-url">{e.sessionUrl ?? '—'}</td>
                <td className="api-url">
                  {e.method} {e.dataUrl}
                </td>
                <td>{e.hasSessionPassword ? t('đã lưu (mã hóa)', 'stored (encrypted)') : '—'}</td>
                <td>{e.status === 'active' ? t('Đang dùng', 'Active') : t('Đã tắt', 'Disabled')}</td>
                <td>
                  <Button kind="secondary" onClick={() => setEditing(e)}>
                    {t('Sửa', 'Edit')}
                  </Button>{' '}
                  <Button kind={e.status === 'active' ? 'danger' : 'secondary'} busy={action.busy} onClick={() => toggle(e)}>
                    {e.status === 'active' ? t('Tắt', 'Disable') : t('Bật', 'Enable')}
                  </Button>
                </td>
              </tr>
            ))}
            {list.items.length === 0 ? (
              <tr>
                <td colSpan={9}>{t('Chưa có API nào.', 'No API yet.')}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
    </Page>
  );
}

function EndpointForm({ list, item, onDone }: { list: EndpointList; item?: Item; onDone: () => void }) {
  const { t } = useI18n();
  const [unitId, setUnitId] = useState(item?.unit.id ?? list.units[0]?.id ?? '');
  const [apiType, setApiType] = useState(item?.apiType ?? list.types[0]?.code ?? '');
  const [name, setName] = useState(item?.name ?? '');
  const [sessionUrl, setSessionUrl] = useState(item?.sessionUrl ?? '');
  const [dataUrl, setDataUrl] = useState(item?.dataUrl ?? '');
  const [method, setMethod] = useState<'GET' | 'POST'>(item?.method ?? 'POST');
  const [sessionUsername, setSessionUsername] = useState(item?.sessionUsername ?? '');
  const [sessionPassword, setSessionPassword] = useState('');
  const [bodyTemplate, setBodyTemplate] = useState(item?.bodyTemplate ?? list.types.find((x) => x.code === apiType)?.template ?? '');
  const action = useAction({ exclusive: true });
  const save = () =>
    void action.run(async () => {
      const body = { unitId, apiType, name, sessionUrl, dataUrl, httpMethod: method, sessionUsername, bodyTemplate, ...(sessionPassword ? { sessionPassword } : {}) };
      await api(item ? 'PUT' : 'POST', item ? `/api/api-endpoints/${item.id}` : '/api/api-endpoints', { body });
      onDone();
    });
  const err = (f: string) => fieldError(action.problem, f);
  return (
    <form className="api-form api-endpoint-form" aria-label={item ? t('Sửa API', 'Edit the API') : t('Thêm API', 'Add an API')} onSubmit={(e) => (e.preventDefault(), save())}>
      <Field label={t('Đơn vị', 'Unit')} required error={err('unitId')}>
        <UnitSelect units={list.units} value={unitId} onChange={setUnitId} />
      </Field>
      <Field label={t('Loại API', 'API type')} required error={err('apiType')}>
        <Select value={apiType} onChange={(e) => setApiType(e.target.value)}>
          {list.types.map((x) => (
            <option key={x.code} value={x.code}>
              {t(x.vi, x.en)}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('Tên API', 'Name')} required error={err('name')}>
        <TextInput value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label={t('URL API lấy session', 'Session URL')} error={err('sessionUrl')}>
        <TextInput value={sessionUrl} onChange={(e) => setSessionUrl(e.target.value)} />
      </Field>
      <Field label={t('URL API lấy dữ liệu', 'Data URL')} required error={err('dataUrl')}>
        <TextInput value={dataUrl} onChange={(e) => setDataUrl(e.target.value)} />
      </Field>
      <Field label={t('Phương thức', 'Method')} error={err('httpMethod')}>
        <Select value={method} onChange={(e) => setMethod(e.target.value as 'GET' | 'POST')}>
          <option value="POST">POST</option>
          <option value="GET">GET</option>
        </Select>
      </Field>
      <Field label={t('Tên đăng nhập lấy session', 'Session user')} error={err('sessionUsername')}>
        <TextInput value={sessionUsername} autoComplete="off" onChange={(e) => setSessionUsername(e.target.value)} />
      </Field>
      <Field
        label={t('Mật khẩu lấy session', 'Session password')}
        error={err('sessionPassword')}
        hint={item?.hasSessionPassword ? t('Đã lưu một mật khẩu (mã hóa); để trống để giữ nguyên.', 'A password is stored (encrypted); leave empty to keep it.') : t('Được mã hóa khi lưu và không bao giờ hiển thị lại.', 'Encrypted when saved and never shown again.')}
      >
        <TextInput type="password" value={sessionPassword} autoComplete="new-password" onChange={(e) => setSessionPassword(e.target.value)} />
      </Field>
      <Field label={t('Body mẫu', 'Body template')} error={err('bodyTemplate')}>
        <textarea className="input api-body-input" rows={6} spellCheck={false} value={bodyTemplate} onChange={(e) => setBodyTemplate(e.target.value)} />
      </Field>
      <Problem problem={action.problem && !['unitId', 'apiType', 'name', 'sessionUrl', 'dataUrl', 'bodyTemplate'].some(err) ? action.problem : null} />
      <Button type="submit" busy={action.busy}>
        {t('Lưu', 'Save')}
      </Button>{' '}
      <Button kind="secondary" onClick={onDone}>
        {t('Hủy', 'Cancel')}
      </Button>
    </form>
  );
}
