/**
 * Configured APIs (api_endpoints): what a province administrator keeps and the console offers.
 * The session password is sealed here and only ever opened by `sessionPasswordOf` for a check;
 * no view carries it, only whether one is stored.
 */
import type { DataSource } from 'typeorm';
import { API_CHECK_TYPE_INFO, type ApiCheckType } from '../../domain/apiCheck';
import { openSecret, sealSecret } from '../../infra/apiCheck/secrets';
import type { EndpointBody } from './inputs';

interface Row {
  id: string;
  unit_id: string;
  unit_code: string;
  unit_name: string;
  api_type: ApiCheckType;
  name: string;
  session_url: string | null;
  data_url: string;
  method: 'GET' | 'POST';
  body_template: string | null;
  session_username: string | null;
  has_password: boolean;
  status: 'active' | 'disabled';
  updated_at: Date;
}

export interface EndpointView {
  id: string;
  unit: { id: string; code: string; name: string };
  apiType: ApiCheckType;
  apiTypeVi: string;
  name: string;
  sessionUrl: string | null;
  dataUrl: string;
  method: 'GET' | 'POST';
  bodyTemplate: string | null;
  sessionUsername: string | null;
  hasSessionPassword: boolean;
  status: 'active' | 'disabled';
  updatedAt: Date;
}

const view = (r: Row): EndpointView => ({
  id: r.id,
  unit: { id: r.unit_id, code: r.unit_code, name: r.unit_name },
  apiType: r.api_type,
  apiTypeVi: API_CHECK_TYPE_INFO[r.api_type].vi,
  name: r.name,
  sessionUrl: r.session_url,
  dataUrl: r.data_url,
  method: r.method,
  bodyTemplate: r.body_template,
  sessionUsername: r.session_username,
  hasSessionPassword: r.has_password,
  status: r.status,
  updatedAt: r.updated_at,
});

const SELECT = `select e.id, e.unit_id, u.code as unit_code, u.name as unit_name, e.api_type, e.name, e.session_url, e.data_url, e.method, e.body_template,
  e.session_username, e.session_password is not null as has_password, e.status, e.updated_at
  from api_endpoints e join units u on u.id = e.unit_id`;

export async function listEndpoints(db: DataSource, unitIds: string[], onlyActive: boolean): Promise<EndpointView[]> {
  const rows: Row[] = await db.query(`${SELECT} where e.unit_id = any($1::uuid[]) ${onlyActive ? `and e.status = 'active'` : ''} order by u.path, e.api_type, e.name`, [unitIds]);
  return rows.map(view);
}

export async function endpointById(db: DataSource, id: string): Promise<EndpointView | undefined> {
  const rows: Row[] = await db.query(`${SELECT} where e.id = $1`, [id]);
  return rows[0] ? view(rows[0]) : undefined;
}

export async function createEndpoint(db: DataSource, b: EndpointBody, by: string, at: Date, secretKey: () => Buffer): Promise<string> {
  const rows: Array<{ id: string }> = await db.query(
    `insert into api_endpoints (unit_id, api_type, name, session_url, data_url, method, body_template, session_username, status, created_by, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $10, $10) returning id`,
    [b.unitId, b.apiType, b.name, b.sessionUrl || null, b.dataUrl, b.httpMethod, b.bodyTemplate ?? null, b.sessionUsername || null, by, at],
  );
  const id = rows[0].id;
  if (b.sessionPassword) await db.query(`update api_endpoints set session_password = $2 where id = $1`, [id, sealSecret(b.sessionPassword, secretKey(), id)]);
  return id;
}

export async function updateEndpoint(db: DataSource, id: string, b: EndpointBody, at: Date, secretKey: () => Buffer): Promise<void> {
  const password = b.sessionPassword ? sealSecret(b.sessionPassword, secretKey(), id) : null;
  await db.query(
    `update api_endpoints set unit_id = $2, api_type = $3, name = $4, session_url = $5, data_url = $6, method = $7, body_template = $8, session_username = $9,
       session_password = case when $10::bytea is not null then $10::bytea when $11 then null else session_password end, updated_at = $12
     where id = $1`,
    [id, b.unitId, b.apiType, b.name, b.sessionUrl || null, b.dataUrl, b.httpMethod, b.bodyTemplate ?? null, b.sessionUsername || null, password, b.clearSessionPassword === true, at],
  );
}

export async function setEndpointStatus(db: DataSource, id: string, status: 'active' | 'disabled', at: Date): Promise<void> {
  await db.query(`update api_endpoints set status = $2, updated_at = $3 where id = $1`, [id, status, at]);
}

/** The stored session password, opened for one check; undefined when none is stored. */
export async function sessionPasswordOf(db: DataSource, id: string, secretKey: () => Buffer): Promise<string | undefined> {
  const rows: Array<{ session_password: Buffer | null }> = await db.query(`select session_password from api_endpoints where id = $1`, [id]);
  const sealed = rows[0]?.session_password;
  return sealed ? openSecret(sealed, secretKey(), id) : undefined;
}

/** Province-level units (and root units) in the caller's scope: where configured APIs belong. */
export async function provinceUnits(db: DataSource, scope: Iterable<string>): Promise<Array<{ id: string; code: string; name: string }>> {
  return db.query(`select id, code, name from units where id = any($1::uuid[]) and (level = 'province' or parent_id is null) order by path`, [[...scope]]);
}
