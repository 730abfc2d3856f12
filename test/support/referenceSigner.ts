/**
 * The reference signer (`npm run signer`, signer/main.ts) as a child process, driven the way its
 * holder drives it: the PIN typed on its standard input when it opens the file and again when it
 * shows a request, its prompts read from its standard output.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

export interface ReferenceSigner {
  url: string;
  /** Everything it has printed so far. */
  output(): string;
  /** Resolves once its output (after `from` characters) matches. */
  waitFor(pattern: RegExp, from?: number): Promise<RegExpExecArray>;
  /** Types a line, as its holder would. */
  type(line: string): void;
  close(): Promise<void>;
}

export async function startReferenceSigner(options: { p12Path: string; pin: string; origins: readonly string[] }): Promise<ReferenceSigner> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--import', 'tsx', 'signer/main.ts', '--p12', options.p12Path, '--port', '0', ...options.origins.flatMap((o) => ['--origin', o])],
    { cwd: ROOT, stdio: 'pipe', env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  );
  let out = '';
  const listeners = new Set<() => void>();
  const onText = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const l of [...listeners]) l();
  };
  child.stdout.on('data', onText);
  child.stderr.on('data', onText);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  const waitFor = (pattern: RegExp, from = 0) =>
    new Promise<RegExpExecArray>((resolveMatch, reject) => {
      const check = () => {
        const m = pattern.exec(out.slice(from));
        if (m) {
          listeners.delete(check);
          clearTimeout(timer);
          resolveMatch(m);
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`the signer never printed ${pattern}; it printed:\n${out}`));
      }, 60_000);
      listeners.add(check);
      check();
      void exited.then(() => {
        if (listeners.has(check)) {
          listeners.delete(check);
          clearTimeout(timer);
          reject(new Error(`the signer exited without printing ${pattern}; it printed:\n${out}`));
        }
      });
    });

  const type = (line: string) => child.stdin.write(`${line}\n`);
  await waitFor(/Nhập mã PIN \(mật khẩu\) của tệp/);
  type(options.pin);
  const ready = await waitFor(/đang chờ tại (http:\/\/127\.0\.0\.1:\d+)/);
  return {
    url: ready[1] as string,
    output: () => out,
    waitFor,
    type,
    close: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
