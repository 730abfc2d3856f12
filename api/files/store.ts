/** The file store of a running API: the one in the context, else one configured from the environment. */
import { FileStore, fileStoreConfigFromEnv } from '../../infra/fileStore';
import type { AppContext } from '../context';

export function filesOf(ctx: AppContext): FileStore {
  ctx.files ??= new FileStore(ctx.db, ctx.clock, fileStoreConfigFromEnv());
  return ctx.files;
}
