/** The file store of a running API: the one in the context, else one configured from the environment. */
import { FileStore, fileStoreConfigFromEnv } from '../../infra/fileStore';
import type { AppContext } from '../context';
import type { Principal } from '../principal';

export function filesOf(ctx: AppContext): FileStore {
  ctx.files ??= new FileStore(ctx.db, ctx.clock, fileStoreConfigFromEnv());
  return ctx.files;
}

/** A file is visible to whoever uploaded it and to officers whose units cover an uploader's unit. */
export async function canSeeFile(ctx: AppContext, p: Principal, fileId: string): Promise<boolean> {
  const rows: unknown[] = await ctx.db.query(
    `select 1 from uploaded_file_uploaders u
     where u.file_id = $1
       and (u.officer_id = $2 or exists (select 1 from officer_units ou where ou.officer_id = u.officer_id and ou.unit_id = any($3::uuid[])))
     limit 1`,
    [fileId, p.officerId, [...p.scope]],
  );
  return rows.length > 0;
}
