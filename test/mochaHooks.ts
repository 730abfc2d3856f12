/** Root hooks: shared environments are torn down once, after every test file ran. */
import { teardownTestEnv } from './engine/harness';

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await teardownTestEnv();
  },
};
