/**
 * The page's side of the local-signer protocol (signer/protocol.ts): where the citizen's signing
 * tool listens (the API says), the certificates it holds, and a signature over the server's
 * challenge — which the tool makes only once the citizen has approved it and typed the PIN there.
 */
import { api } from '../../../api';
import { SIGNER_PROTOCOL, SIGNER_PROTOCOL_VERSION, type SignerCertificate, type SignerErrorBody, type SignerInfo, type SignResult } from '../../../../../signer/protocol';

export type { SignerCertificate } from '../../../../../signer/protocol';

/** A refusal worded for the citizen, in both languages. */
export class SignerProblem extends Error {
  constructor(
    readonly code: string,
    readonly vi: string,
    readonly en: string,
  ) {
    super(vi);
  }
}

const notRunning = () =>
  new SignerProblem(
    'NOT_RUNNING',
    'Không tìm thấy công cụ ký số trên máy tính này. Hãy cắm USB ký số, mở công cụ ký số của nhà cung cấp rồi nhấn "Tìm lại".',
    'No signing tool answers on this computer. Plug in the USB token, open the provider’s signing tool, then press "Search again".',
  );

let address: Promise<string> | undefined;

/** Where the signing tool listens, as the portal is configured. */
export function signerAddress(): Promise<string> {
  address ??= api<{ url: string }>('GET', '/api/citizen/certificate/signer', { as: 'public' }).then(
    (r) => r.url,
    (e: unknown) => {
      address = undefined;
      throw e;
    },
  );
  return address;
}

async function call<T>(url: string, init?: { method: 'POST'; body: unknown }): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, init ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) } : undefined);
  } catch {
    throw notRunning();
  }
  const body = (await res.json().catch(() => undefined)) as (T & Partial<SignerErrorBody>) | undefined;
  if (!res.ok || body === undefined) {
    const e = body?.error;
    throw e ? new SignerProblem(e.code, e.message, e.messageEn) : notRunning();
  }
  return body;
}

/** The tool's certificates; refuses a tool that speaks another protocol or version. */
export async function signerCertificates(base: string): Promise<SignerCertificate[]> {
  const info = await call<SignerInfo>(`${base}/v1/info`);
  if (info.protocol !== SIGNER_PROTOCOL || info.version !== SIGNER_PROTOCOL_VERSION) {
    throw new SignerProblem(
      'UNSUPPORTED_TOOL',
      'Công cụ ký số trên máy tính này không tương thích với Cổng dịch vụ công. Vui lòng cập nhật công cụ ký số.',
      'The signing tool on this computer does not speak the portal’s protocol; update it.',
    );
  }
  return (await call<{ certificates: SignerCertificate[] }>(`${base}/v1/certificates`)).certificates;
}

export async function signWithTool(base: string, certificateId: string, challenge: string): Promise<SignResult> {
  return call<SignResult>(`${base}/v1/sign`, { method: 'POST', body: { certificateId, challenge } });
}
