/**
 * "Kiểm tra API" (seed 003, Màn hình hỗ trợ): tab "API mới" — URL API địa phương, DSTCODE, Loại API,
 * Body API pre-filled from the type's template; tab "API đã cấu hình" — Loại API, Đơn vị, then the
 * configured session and data URLs and the body; "Gửi" shows the answer in the response panel.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { Button, Field, Page, Problem, Select, TextInput, fieldError } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n';
import { ResponsePanel } from './ResponsePanel';
import { filled, type CheckAnswer, type CheckOptions } from './types';

export function ApiCheckConsole() {
  const { t } = useI18n();
  const [options, setOptions] = useState<CheckOptions | null>(null);
  const [loadProblem, setLoadProblem] = useState<unknown>(null);
  const [mode, setMode] = useState<'new' | 'configured'>('new');
  const [answer, setAnswer] = useState<CheckAnswer | null>(null);
  useEffect(() => {
    api<CheckOptions>('GET', '/api/api-check/options').then(setOptions, setLoadProblem);
  }, []);
  const tab = (m: 'new' | 'configured', label: string) => (
    <button type="button" role="tab" aria-selected={mode === m} className={mode === m ? 'active' : ''} onClick={() => setMode(m)}>
      {label}
    </button>
  );
  return (
    <Page title={t('Kiểm tra API', 'API check')}>
      <Problem problem={loadProblem} />
      <nav className="tabs" role="tablist" aria-label={t('Trường hợp kiểm tra', 'Kind of check')}>
        {tab('new', t('API mới', 'New API'))}
        {tab('configured', t('API đã cấu hình', 'Configured API'))}
      </nav>
      {options ? (
        <div className="api-console">
          {mode === 'new' ? <NewApiForm options={options} onAnswer={setAnswer} /> : <ConfiguredForm options={options} onAnswer={setAnswer} />}
          <ResponsePanel answer={answer} />
        </div>
      ) : null}
    </Page>
  );
}

function BodyField({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: string }) {
  const { t } = useI18n();
  return (
    <Field label="Body API" required error={error} hint={t('Sửa theo mẫu gợi ý hoặc nhập mới (JSON).', 'Edit the suggested template or type your own (JSON).')}>
      <textarea className="input api-body-input" rows={9} spellCheck={false} value={value} onChange={(e) => onChange(e.target.value)} />
    </Field>
  );
}

function NewApiForm({ options, onAnswer }: { options: CheckOptions; onAnswer: (a: CheckAnswer | null) => void }) {
  const { t } = useI18n();
  const [url, setUrl] = useState('');
  const [dst, setDst] = useState('');
  const [apiType, setApiType] = useState(options.types[0]?.code ?? '');
  const type = options.types.find((x) => x.code === apiType);
  const [method, setMethod] = useState<'GET' | 'POST'>(type?.method ?? 'POST');
  const [body, setBody] = useState(type ? filled(type.template, '') : '');
  const action = useAction({ exclusive: true });
  // A new type or province starts again from the type's template, as the seed's form does.
  const choose = (code: string, dstCode: string) => {
    const tp = options.types.find((x) => x.code === code);
    setApiType(code);
    setDst(dstCode);
    if (tp) {
      setMethod(tp.method);
      setBody(filled(tp.template, dstCode));
    }
  };
  const submit = () =>
    void action.run(async () => {
      onAnswer(null);
      onAnswer(await api<CheckAnswer>('POST', '/api/api-check/send', { body: { mode: 'new', url, dstCode: dst, apiType, httpMethod: method, body } }));
    });
  return (
    <form className="api-form" aria-label={t('Kiểm tra API mới', 'Check a new API')} onSubmit={(e) => (e.preventDefault(), submit())}>
      <Field label={t('URL API địa phương', 'Local API URL')} required error={fieldError(action.problem, 'url')}>
        <TextInput value={url} placeholder={t('Nhập URL API địa phương', 'Full URL of the local API')} onChange={(e) => setUrl(e.target.value)} />
      </Field>
      <Field label="DSTCODE" required error={fieldError(action.problem, 'dstCode')}>
        <Select value={dst} onChange={(e) => choose(apiType, e.target.value)}>
          <option value="">-- Chọn DSTCODE --</option>
          {options.provinces.map((p) => (
            <option key={p.id} value={p.dstCode}>
              {p.dstCode} — {p.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('Loại API', 'API type')} required error={fieldError(action.problem, 'apiType')}>
        <Select value={apiType} onChange={(e) => choose(e.target.value, dst)}>
          {options.types.map((x) => (
            <option key={x.code} value={x.code}>
              {t(x.vi, x.en)}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('Phương thức', 'Method')} error={fieldError(action.problem, 'httpMethod')}>
        <Select value={method} onChange={(e) => setMethod(e.target.value as 'GET' | 'POST')}>
          <option value="POST">POST</option>
          <option value="GET">GET</option>
        </Select>
      </Field>
      <BodyField value={body} onChange={setBody} error={fieldError(action.problem, 'body')} />
      <Problem problem={action.problem && !['url', 'dstCode', 'apiType', 'body', 'httpMethod'].some((f) => fieldError(action.problem, f)) ? action.problem : null} />
      <Button type="submit" busy={action.busy}>
        {t('Gửi', 'Send')}
      </Button>
    </form>
  );
}

function ConfiguredForm({ options, onAnswer }: { options: CheckOptions; onAnswer: (a: CheckAnswer | null) => void }) {
  const { t } = useI18n();
  const types = options.types.filter((x) => options.endpoints.some((e) => e.apiType === x.code));
  const [apiType, setApiType] = useState(types[0]?.code ?? '');
  const ofType = options.endpoints.filter((e) => e.apiType === apiType);
  const [endpointId, setEndpointId] = useState(ofType[0]?.id ?? '');
  const endpoint = options.endpoints.find((e) => e.id === endpointId);
  const [body, setBody] = useState(endpoint?.body ?? '');
  const action = useAction({ exclusive: true });
  const pick = (id: string) => {
    setEndpointId(id);
    setBody(options.endpoints.find((e) => e.id === id)?.body ?? '');
  };
  if (options.endpoints.length === 0) return <p className="cs-muted">{t('Chưa có API nào được cấu hình cho đơn vị của bạn.', 'No API is configured for your units yet.')}</p>;
  const submit = () =>
    void action.run(async () => {
      onAnswer(null);
      onAnswer(await api<CheckAnswer>('POST', '/api/api-check/send', { body: { mode: 'configured', endpointId, body } }));
    });
  return (
    <form className="api-form" aria-label={t('Kiểm tra API đã cấu hình', 'Check a configured API')} onSubmit={(e) => (e.preventDefault(), submit())}>
      <Field label={t('Loại API', 'API type')} required>
        <Select
          value={apiType}
          onChange={(e) => {
            setApiType(e.target.value);
            pick(options.endpoints.find((x) => x.apiType === e.target.value)?.id ?? '');
          }}
        >
          {types.map((x) => (
            <option key={x.code} value={x.code}>
              {t(x.vi, x.en)}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('Đơn vị', 'Unit')} required error={fieldError(action.problem, 'endpointId')}>
        <Select value={endpointId} onChange={(e) => pick(e.target.value)}>
          {ofType.map((e) => (
            <option key={e.id} value={e.id}>
              {e.unit.name} — {e.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('URL API lấy session', 'Session URL')}>
        <TextInput value={endpoint?.sessionUrl ?? t('(không dùng session)', '(no session)')} readOnly />
      </Field>
      <Field label={t('URL API lấy dữ liệu', 'Data URL')} required>
        <TextInput value={endpoint ? `${endpoint.method} ${endpoint.dataUrl}` : ''} readOnly />
      </Field>
      <BodyField value={body} onChange={setBody} error={fieldError(action.problem, 'body')} />
      <Problem problem={action.problem && !fieldError(action.problem, 'body') ? action.problem : null} />
      <Button type="submit" busy={action.busy}>
        {t('Gửi', 'Send')}
      </Button>
    </form>
  );
}
