/**
 * The role the application (API and worker) connects as. Migrations run as the owner of the
 * schema; the application gets only what it needs: reading and writing the product's tables and
 * sequences, and on the audit trail reading and appending — no UPDATE, DELETE or TRUNCATE, and,
 * owning nothing, no ALTER TABLE either, so its credentials cannot switch the append-only trigger
 * off. The grants are given again at every start, so tables added by later migrations follow.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';

export const APP_ROLE = 'chung_thuc_app';

/** Tables the application may read and append to, but never change. */
const APPEND_ONLY_TABLES = ['audit_log'];

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The application role's password: kept beside the data (mode 600), made once. */
export function appRolePassword(dataDir: string): string {
  const file = path.join(dataDir, 'app-db-password');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    const password = randomBytes(24).toString('base64url');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
    return password;
  }
}

/**
 * Creates (or updates) the application role on the database at `ownerUrl`, grants it what the
 * product needs in `schema`, and answers the URL the application connects with.
 */
export async function ensureAppRole(ownerUrl: string, password: string, schema = 'public', role = APP_ROLE): Promise<string> {
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    const db = (await owner.query<{ db: string }>('select current_database() as db')).rows[0]!.db;
    const exists = (await owner.query('select 1 from pg_roles where rolname = $1', [role])).rowCount! > 0;
    const verb = exists ? 'alter' : 'create';
    await owner.query(`${verb} role ${quoteIdent(role)} with login nosuperuser nocreatedb nocreaterole noinherit password ${quoteLiteral(password)}`);
    const r = quoteIdent(role);
    const s = quoteIdent(schema);
    await owner.query(`grant connect on database ${quoteIdent(db)} to ${r}`);
    await owner.query(`grant usage on schema ${s} to ${r}`);
    await owner.query(`revoke create on schema ${s} from ${r}`);
    await owner.query(`grant select, insert, update, delete on all tables in schema ${s} to ${r}`);
    await owner.query(`grant usage, select on all sequences in schema ${s} to ${r}`);
    for (const table of APPEND_ONLY_TABLES) {
      await owner.query(`revoke update, delete, truncate on ${s}.${quoteIdent(table)} from ${r}`);
    }
    const url = new URL(ownerUrl);
    url.username = role;
    url.password = password;
    return url.toString();
  } finally {
    await owner.end();
  }
}
