/**
 * The tax authority's land-obligation service (Cơ quan thuế), behind one interface: asked by the
 * citizen portal for a dossier code + ID number. The only implementation speaks HTTP
 * (`GET <url>/obligations?dossierCode=…&idNumber=…` → a LandDossier, 404 when the pair is unknown);
 * `npm start` runs a local service with demo obligations at that address (localTaxService.ts), the
 * way it runs a local SMTP server. Anything but an answer or a 404 is "unavailable": the portal says
 * the tax authority cannot be reached, never "not found".
 */
import { LAND_ID_NUMBER, noticeTotal, type LandDossier, type LandNotice } from '../../domain/landObligations';

export interface TaxAuthority {
  /** The dossier, or undefined when the tax authority knows no such code for that ID number. */
  lookup(dossierCode: string, idNumber: string): Promise<LandDossier | undefined>;
}

export class TaxAuthorityUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaxAuthorityUnavailable';
  }
}

export interface HttpTaxAuthorityConfig {
  url: string;
  /** `user:password` (basic) or a token (bearer). */
  credentials?: string;
  timeoutMs?: number;
}

export function authorizationHeader(credentials: string | undefined): Record<string, string> {
  if (!credentials) return {};
  return credentials.includes(':') ? { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` } : { authorization: `Bearer ${credentials}` };
}

function asNotice(n: unknown): LandNotice | undefined {
  if (!n || typeof n !== 'object') return undefined;
  const r = n as Record<string, unknown>;
  if (typeof r.noticeNumber !== 'string' || typeof r.taxpayer !== 'string' || !Array.isArray(r.items)) return undefined;
  const items = r.items.map((i) => (i && typeof i === 'object' ? (i as Record<string, unknown>) : {}));
  if (!items.every((i) => typeof i.content === 'string' && Number.isSafeInteger(i.amountVnd) && (i.amountVnd as number) > 0)) return undefined;
  const clean = items.map((i) => ({ content: i.content as string, amountVnd: i.amountVnd as number }));
  // The total is ours to trust only when it adds up: the citizen pays exactly that.
  if (r.totalVnd !== noticeTotal(clean)) return undefined;
  return { noticeNumber: r.noticeNumber, taxpayer: r.taxpayer, items: clean, totalVnd: r.totalVnd as number };
}

/** The answer checked field by field: a malformed answer is the tax authority's failure, not an empty dossier. */
export function asDossier(body: unknown): LandDossier | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const property = b.property as Record<string, unknown> | undefined;
  const locality = b.locality as Record<string, unknown> | undefined;
  if (typeof b.dossierCode !== 'string' || typeof b.idNumber !== 'string' || !LAND_ID_NUMBER.test(b.idNumber) || typeof b.taxpayer !== 'string') return undefined;
  if (!property || typeof property.address !== 'string' || !locality || typeof locality.unitCode !== 'string' || typeof locality.name !== 'string') return undefined;
  if (!Array.isArray(b.notices)) return undefined;
  const notices = b.notices.map(asNotice);
  if (notices.some((n) => n === undefined)) return undefined;
  const opt = <T>(v: unknown, t: string): T | undefined => (typeof v === t ? (v as T) : undefined);
  return {
    dossierCode: b.dossierCode,
    idNumber: b.idNumber,
    taxpayer: b.taxpayer,
    property: {
      address: property.address,
      ...(opt<string>(property.parcel, 'string') ? { parcel: property.parcel as string } : {}),
      ...(opt<string>(property.mapSheet, 'string') ? { mapSheet: property.mapSheet as string } : {}),
      ...(opt<number>(property.areaM2, 'number') ? { areaM2: property.areaM2 as number } : {}),
      ...(opt<string>(property.purpose, 'string') ? { purpose: property.purpose as string } : {}),
    },
    locality: { unitCode: locality.unitCode, name: locality.name },
    notices: notices as LandNotice[],
  };
}

export class HttpTaxAuthority implements TaxAuthority {
  constructor(private readonly config: HttpTaxAuthorityConfig) {}

  async lookup(dossierCode: string, idNumber: string): Promise<LandDossier | undefined> {
    const url = new URL(`${this.config.url.replace(/\/+$/, '')}/obligations`);
    url.searchParams.set('dossierCode', dossierCode);
    url.searchParams.set('idNumber', idNumber);
    let res: Response;
    try {
      res = await fetch(url, { headers: { accept: 'application/json', ...authorizationHeader(this.config.credentials) }, signal: AbortSignal.timeout(this.config.timeoutMs ?? 10_000) });
    } catch (err) {
      throw new TaxAuthorityUnavailable(`tax authority unreachable: ${(err as Error).message}`);
    }
    if (res.status === 404) return undefined;
    if (!res.ok) throw new TaxAuthorityUnavailable(`tax authority answered HTTP ${res.status}`);
    const dossier = asDossier(await res.json().catch(() => undefined));
    if (!dossier) throw new TaxAuthorityUnavailable('tax authority answered something that is not a land dossier');
    // An answer about another pair is not an answer to this question.
    if (dossier.dossierCode !== dossierCode || dossier.idNumber !== idNumber) throw new TaxAuthorityUnavailable('tax authority answered about another dossier');
    return dossier;
  }
}
