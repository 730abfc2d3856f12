/**
 * The reference signer asks its holder in the terminal it runs in: each request is shown — the web
 * page asking, what for, which certificate, the exact text — and the PIN typed there approves it
 * (an empty line declines). On a terminal the PIN is not echoed; from a pipe (the browser tests)
 * lines are read as they come.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Approver, SignatureRequest } from './localSigner';

/** One line at a time from the input; undefined when the input ends or the wait is aborted. */
export class LineSource {
  private readonly lines: string[] = [];
  private readonly waiting: Array<(line: string | undefined) => void> = [];
  private ended = false;

  constructor(private readonly input: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown }) {
    if (!input.isTTY) {
      const rl = createInterface({ input, terminal: false });
      rl.on('line', (line) => this.push(line));
      rl.on('close', () => {
        this.ended = true;
        for (const w of this.waiting.splice(0)) w(undefined);
      });
    }
  }

  private push(line: string): void {
    const w = this.waiting.shift();
    if (w) w(line);
    else this.lines.push(line);
  }

  /** The next line; on a terminal typed without echo (a star per character). */
  next(output: Writable, signal?: AbortSignal): Promise<string | undefined> {
    if (this.input.isTTY && this.input.setRawMode) return this.secretFromTerminal(output, signal);
    // From a pipe nothing is echoed: end the prompt's line once the answer is read.
    const ready = this.lines.shift();
    if (ready !== undefined) {
      output.write('\n');
      return Promise.resolve(ready);
    }
    if (this.ended || signal?.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const done = (line: string | undefined) => {
        signal?.removeEventListener('abort', onAbort);
        output.write('\n');
        resolve(line);
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(done);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve(undefined);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(done);
    });
  }

  private secretFromTerminal(output: Writable, signal?: AbortSignal): Promise<string | undefined> {
    const input = this.input;
    return new Promise((resolve) => {
      let typed = '';
      const finish = (value: string | undefined) => {
        input.off('data', onData);
        signal?.removeEventListener('abort', onAbort);
        input.setRawMode!(false);
        input.pause();
        output.write('\n');
        resolve(value);
      };
      const onAbort = () => finish(undefined);
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') return finish(typed);
          if (ch === '\u0003') return finish(undefined); // Ctrl-C declines
          if (ch === '\u007f' || ch === '\b') {
            if (typed.length > 0) {
              typed = typed.slice(0, -1);
              output.write('\b \b');
            }
          } else if (ch >= ' ') {
            typed += ch;
            output.write('*');
          }
        }
      };
      input.setRawMode!(true);
      input.resume();
      input.on('data', onData);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

const PURPOSES = { register: 'ĐĂNG KÝ tài khoản', login: 'ĐĂNG NHẬP' } as const;

function localTime(d: Date): string {
  return d.toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour12: false });
}

export class TerminalApprover implements Approver {
  constructor(
    private readonly lines: LineSource,
    private readonly output: Writable,
  ) {}

  askPin(request: SignatureRequest, attempt: number, signal: AbortSignal): Promise<string | undefined> {
    const c = request.certificate;
    if (attempt === 1) {
      this.output.write(
        [
          '',
          '──────── YÊU CẦU KÝ SỐ ────────',
          `Trang web yêu cầu : ${request.origin}`,
          `Mục đích          : ${PURPOSES[request.purpose]} trên Cổng dịch vụ công`,
          `Chứng thư số      : ${c.name}${c.idNumber ? ` (số định danh ${c.idNumber})` : ''}, do ${c.issuer} cấp`,
          `Chuỗi được ký     : ${request.challenge}`,
          `Máy chủ cấp lúc   : ${localTime(request.issuedAt)}`,
          'Chỉ ký khi chính anh/chị vừa bấm ký trên trang web nói trên.',
          '',
        ].join('\n'),
      );
    } else this.output.write(`Mã PIN không đúng (lần ${attempt - 1}).\n`);
    this.output.write('Nhập mã PIN để đồng ý ký (để trống rồi Enter để từ chối): ');
    return this.lines.next(this.output, signal);
  }

  told(request: SignatureRequest, outcome: 'signed' | 'declined' | 'pin-blocked' | 'withdrawn'): void {
    const text = {
      signed: 'Đã ký và gửi chữ ký cho trang web.',
      declined: 'Đã từ chối ký.',
      'pin-blocked': 'Nhập sai mã PIN quá số lần cho phép: không ký.',
      withdrawn: '\nYêu cầu đã hết hạn hoặc trang web đã đóng: không ký.',
    }[outcome];
    this.output.write(`${text} (${request.origin})\n`);
  }
}
