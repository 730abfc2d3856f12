// Loaded with `--import` into the API, worker and engine by `BENCH_PROFILE=<dir> npm run bench:cases`:
// the first SIGWINCH starts V8's sampling profiler, the second writes `<dir>/<process>-<pid>.cpuprofile`
// (open it in Chrome's DevTools, or summarise it with bench/profileSummary.ts). SIGWINCH because
// the Temporal worker stops on SIGUSR2 and Node reserves SIGUSR1 for its debugger.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const dir = process.env.BENCH_PROFILE;
const script = basename(process.argv[1] ?? '');
if (dir && /^(worker|server|main)\.ts$/.test(script)) {
  const session = new Session();
  session.connect();
  let running = false;
  process.on('SIGWINCH', () => {
    if (!running) {
      session.post('Profiler.enable');
      session.post('Profiler.setSamplingInterval', { interval: 250 });
      session.post('Profiler.start');
      running = true;
      return;
    }
    running = false;
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(join(dir, `${script.replace('.ts', '')}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
