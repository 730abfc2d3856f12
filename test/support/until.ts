/** Waits for what a background activity writes: polls `probe` every 50 ms until it answers, at most `attempts` times. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, attempts = 400): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}
