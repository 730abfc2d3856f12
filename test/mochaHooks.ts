/** Root hooks: shared environments are torn down once, after every test file ran. */
import { teardownTestEnv } from './engine/harness';
import { teardownTestDatabases } from './support/database';

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await Promise.all([teardownTestEnv(), teardownTestDatabases()]);
  },
};
