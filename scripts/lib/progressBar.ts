/**
 * A progress bar for long command-line runs on stderr: redrawn in place on a terminal, one line
 * per tenth otherwise (a log file or a CI job would fill up with redraws).
 */

/** `[#########.....................]  30%  1,500,000 / 5,000,000 rows  210,000 rows/s  ETA 17 s` */
export function progressLine(done: number, total: number, elapsedMs: number, unit: string, width = 30): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * width);
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const left = rate > 0 ? Math.max(0, total - done) / rate : undefined;
  const eta = left === undefined ? '' : `  ETA ${Math.ceil(left)} s`;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%  ${n(done)} / ${n(total)} ${unit}  ${n(rate)} ${unit}/s${eta}`;
}

export interface ProgressBar {
  update(done: number): void;
  finish(): void;
}

export function progressBar(out: { write(text: string): unknown; isTTY?: boolean }, total: number, unit: string, now: () => number = Date.now): ProgressBar {
  const started = now();
  const tty = out.isTTY === true;
  let lastTenth = 0;
  let drawn = false;
  return {
    update(done) {
      const line = progressLine(done, total, now() - started, unit);
      if (tty) {
        out.write(`\r${line}`);
        drawn = true;
        return;
      }
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (tenth > lastTenth) {
        lastTenth = tenth;
        out.write(`${line}\n`);
      }
    },
    finish() {
      if (drawn) out.write('\n');
    },
  };
}
