/** The kill tests' trigger: kill the worker when the register, not the clock, says so. */
import type { DataSource } from 'typeorm';
import { crashProcess, type Managed } from '../../scripts/lib/supervisor';

export async function numbersIssued(db: DataSource): Promise<number> {
  return Number(((await db.query('select count(*) as n from certification_numbers')) as Array<{ n: string }>)[0].n);
}

/** Polls the register until `count` numbers exist, then SIGKILLs the worker; answers the count seen. */
export async function killWhenIssued(db: DataSource, worker: Managed, count: number, deadline: number): Promise<number> {
  for (;;) {
    const n = await numbersIssued(db);
    if (n >= count) {
      await crashProcess(worker);
      return n;
    }
    if (worker.child.exitCode !== null) throw new Error(`the worker exited by itself:\n${worker.tail()}`);
    if (Date.now() > deadline) throw new Error(`only ${n} numbers after waiting for ${count}:\n${worker.tail()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
