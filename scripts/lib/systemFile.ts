/** While `npm start` runs, `.data/system.json` says where its database is, for companion commands. */
import * as path from 'node:path';
import { projectRoot } from '../../db/databaseUrl';

export const SYSTEM_FILE = path.join(projectRoot(), '.data', 'system.json');
