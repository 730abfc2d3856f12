/**
 * The REST API as the pages use it: the session token, an Idempotency-Key on every change (so a
 * double click acts once), and errors as the API words them — Vietnamese message, English beside
 * it, and the fields they concern.
 */
import { uiLanguage } from './i18n';

export interface FieldProblem {
  /** The input path ("citizen.birthDate"), by which a form places the problem. */
  field: string;
  /** What the screen calls the field, in Vietnamese and English. */
  label?: string;
  labelEn?: string;
  problem: string;
  problemEn?: string;
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly vi: string,
    readonly en: string,
    readonly details: Record<string, unknown> | undefined,
  ) {
    super(vi);
  }

  get fields(): FieldProblem[] {
    const f = this.details?.fields;
    return Array.isArray(f) ? (f as FieldProblem[]) : [];
  }

  /** The problem with one field (its path, e.g. "citizen.phone"), if the API named it, in the chosen language. */
  fieldProblem(field: string): string | undefined {
    const found = this.fields.find((f) => f.field === field);
    return found && (uiLanguage() === 'en' ? (found.problemEn ?? found.problem) : found.problem);
  }
}

const TOKEN_KEY = 'chungthuc.token';
const CITIZEN_TOKEN_KEY = 'chungthuc.citizenToken';

export const session = {
  get officer(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set officer(token: string | null) {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
  get citizen(): string | null {
    return sessionStorage.getItem(CITIZEN_TOKEN_KEY);
  },
  set citizen(token: string | null) {
    if (token) sessionStorage.setItem(CITIZEN_TOKEN_KEY, token);
    else sessionStorage.removeItem(CITIZEN_TOKEN_KEY);
  },
};

export interface CallOptions {
  body?: unknown;
  /** Raw bytes (an upload), with the file's name. */
  file?: { data: Blob; name: string };
  /** Which session to send: the officer's (default), the citizen's, or none. */
  as?: 'officer' | 'citizen' | 'public';
  /** Upload progress, 0–1 (uploads go through XMLHttpRequest, which reports it). */
  onProgress?: (fraction: number) => void;
  /**
   * The Idempotency-Key of this change, kept by the form for one attempt (a retry after a lost
   * answer sends the same key and gets the same result); citizens' changes that need one send it.
   */
  idempotencyKey?: string;
}

export function newKey(): string {
  return crypto.randomUUID();
}

async function problemOf(status: number, text: string): Promise<ApiProblem> {
  try {
    const body = JSON.parse(text) as { error?: { code: string; message: string; messageEn: string; details?: Record<string, unknown> } };
    if (body.error) return new ApiProblem(status, body.error.code, body.error.message, body.error.messageEn, body.error.details);
  } catch {
    // not JSON: fall through
  }
  return new ApiProblem(status, 'HTTP_' + status, `Hệ thống trả lời lỗi ${status}, vui lòng thử lại.`, `The server answered ${status}; try again.`, undefined);
}

function headersFor(method: string, options: CallOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const token = options.as === 'public' ? null : options.as === 'citizen' ? session.citizen : session.officer;
  if (token) headers.authorization = `Bearer ${token}`;
  // Officers' changes always carry a key; citizens' only where the form keeps one (a booking).
  if (method !== 'GET' && options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  else if (method !== 'GET' && options.as !== 'citizen' && options.as !== 'public') headers['idempotency-key'] = newKey();
  return headers;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function api<T = any>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const headers = headersFor(method, options);
  if (options.file) return upload<T>(path, headers, options);
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: options.body !== undefined ? JSON.stringify(options.body) : undefined });
  } catch {
    throw new ApiProblem(0, 'NETWORK', 'Không kết nối được với hệ thống, kiểm tra mạng rồi thử lại.', 'Cannot reach the server; check the network and try again.', undefined);
  }
  const text = await res.text();
  if (!res.ok) throw await problemOf(res.status, text);
  return (text ? JSON.parse(text) : undefined) as T;
}

function upload<T>(path: string, headers: Record<string, string>, options: CallOptions): Promise<T> {
  const file = options.file!;
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => options.onProgress?.(e.lengthComputable ? e.loaded / e.total : 0);
    xhr.onerror = () => reject(new ApiProblem(0, 'NETWORK', 'Tải tệp lên bị gián đoạn, vui lòng thử lại.', 'The upload was interrupted; try again.', undefined));
    xhr.onload = async () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText) as T);
      else reject(await problemOf(xhr.status, xhr.responseText));
    };
    xhr.send(file.data);
  });
}
