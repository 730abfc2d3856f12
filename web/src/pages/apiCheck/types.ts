/** What the API check routes answer (api/apiCheck). */
export interface ApiType {
  code: string;
  vi: string;
  en: string;
  method: 'GET' | 'POST';
  template: string;
}

export interface ConfiguredApi {
  id: string;
  unit: { id: string; code: string; name: string };
  apiType: string;
  apiTypeVi: string;
  name: string;
  sessionUrl: string | null;
  dataUrl: string;
  method: 'GET' | 'POST';
  hasSessionPassword: boolean;
}

export interface CheckOptions {
  types: ApiType[];
  provinces: Array<{ id: string; code: string; name: string; dstCode: string }>;
  endpoints: Array<ConfiguredApi & { body: string }>;
  limits: { timeoutMs: number; maxBytes: number };
}

export interface CheckAnswer {
  mode: 'new' | 'configured';
  session?: { status?: number; timeMs: number; ok: boolean; message: string };
  response?: {
    method: string;
    target: string;
    status?: number;
    statusText?: string;
    timeMs: number;
    headers: Array<[string, string]>;
    body: string;
    bodyBytes: number;
    truncated: boolean;
    isJson: boolean;
    notes: string[];
    error?: { code: string; message: string; messageEn: string };
  };
}

/** A type's template with the province's DST code in it. */
export const filled = (template: string, dst: string) => template.replace('"maDST": ""', `"maDST": ${JSON.stringify(dst)}`);
