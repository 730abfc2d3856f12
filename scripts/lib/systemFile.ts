/** While `npm start` runs, `.data/system.json` says where its database is, for companion commands. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../db/databaseUrl';

export const SYSTEM_FILE = path.join(projectRoot(), '.data', 'system.json');

export interface SystemInfo {
  pid?: number;
  databaseUrl?: string;
}

/** What the running (or last) `npm start` recorded; undefined when it never ran here. */
export function readSystemFile(): SystemInfo | undefined {
  if (!fs.existsSync(SYSTEM_FILE)) return undefined;
  return JSON.parse(fs.readFileSync(SYSTEM_FILE, 'utf8')) as SystemInfo;
}

/** DATABASE_URL, else the database `npm start` recorded. */
export function companionDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.DATABASE_URL || readSystemFile()?.databaseUrl;
}
