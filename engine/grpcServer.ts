/**
 * The engine's gRPC transport: unary calls over Node's own HTTP/2 server, decoded with the
 * Temporal API's protobuf types and handed to plain handlers.
 *
 * Every method the engine serves is unary, so the general machinery of a gRPC library
 * (interceptors, streaming, channelz, per-call metadata objects) buys nothing here and cost
 * about as much CPU per call as the engine's own work. What the protocol asks of a unary server
 * is small: one length-prefixed message in (possibly gzip/deflate compressed, per
 * `grpc-encoding`), one out, the status in trailers (or in the headers of a trailers-only
 * answer), `grpc-timeout` as the caller's deadline, a closed stream as a cancellation.
 */
import * as http2 from 'node:http2';
import * as zlib from 'node:zlib';
import type { Type } from 'protobufjs';
import { EngineError, GrpcStatus } from './errors';
import { root } from './proto';
import type { Logger } from './logger';

/** What a handler learns about the call besides its request. */
export interface CallContext {
  /** Wall-clock instant (ms) by which the caller wants an answer; long polls return before it. */
  readonly deadline: number;
  /** Aborted when the caller goes away, so long polls can drop their waiter. */
  readonly signal: AbortSignal;
  readonly method: string;
}

// Handlers receive decoded plain objects and return plain objects; each service file types its own.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (request: any, ctx: CallContext) => Promise<object> | object;
export type ServiceHandlers = Record<string, Handler>;

const DECODE_OPTIONS = { longs: Number, defaults: false } as const;
/** A caller that sends no deadline waits at most this long in a long poll. */
const NO_DEADLINE_MS = 24 * 3600_000;
const RPC_STATUS = root.lookupType('google.rpc.Status');
const TIMEOUT_UNIT_MS: Record<string, number> = { H: 3600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6 };

interface Method {
  service: string;
  name: string;
  request: Type;
  response: Type;
  handler: Handler | undefined;
}

class CallError extends Error {
  constructor(
    readonly code: GrpcStatus,
    message: string,
  ) {
    super(message);
  }
}

/** `grpc-timeout` (e.g. `59999m`) → milliseconds; undefined when absent or malformed. */
export function parseGrpcTimeout(value: string | undefined): number | undefined {
  const m = value ? /^(\d{1,8})([HMSmun])$/.exec(value) : null;
  return m ? Number(m[1]) * TIMEOUT_UNIT_MS[m[2]] : undefined;
}

/** `grpc-message` is percent-encoded UTF-8: printable ASCII other than `%` travels as is. */
export function encodeGrpcMessage(message: string): string {
  let out = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** One gRPC message: a flag byte (0: not compressed), the length, the protobuf bytes. */
function messageFrame(type: Type, message: object): Buffer {
  const encoded = type.encode(message).finish();
  const frame = Buffer.allocUnsafe(5 + encoded.length);
  frame[0] = 0;
  frame.writeUInt32BE(encoded.length, 1);
  frame.set(encoded, 5);
  return frame;
}

function statusOf(err: unknown, log: Logger, method: string): { code: GrpcStatus; message: string; details?: Buffer } {
  if (err instanceof CallError) return { code: err.code, message: err.message };
  if (err instanceof EngineError) {
    const details =
      err.details.length > 0
        ? Buffer.from(RPC_STATUS.encode({ code: err.code, message: err.message, details: err.details }).finish())
        : undefined;
    return { code: err.code, message: err.message, details };
  }
  log.error(`internal error in ${method}`, err);
  return { code: GrpcStatus.INTERNAL, message: `internal error: ${err instanceof Error ? err.message : String(err)}` };
}

export class GrpcServer {
  private readonly methods = new Map<string, Method>();
  private readonly sessions = new Set<http2.ServerHttp2Session>();
  private readonly server: http2.Http2Server;

  constructor(
    private readonly log: Logger,
    private readonly maxMessageBytes: number,
  ) {
    this.server = http2.createServer({ maxSessionMemory: 256 });
    this.server.on('session', (session) => {
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
      session.on('error', () => undefined);
    });
    this.server.on('stream', (stream, headers) => this.onStream(stream, headers));
  }

  /**
   * Serves every unary method of `serviceName`. Methods without a handler answer UNIMPLEMENTED
   * with the method's name, so a caller learns exactly what is missing. Streaming methods
   * (Health/Watch) are not served; clients fall back to their unary twins.
   */
  addService(serviceName: string, handlers: ServiceHandlers): void {
    const service = root.lookupService(serviceName);
    for (const method of Object.values(service.methods)) {
      if (method.requestStream || method.responseStream) continue;
      method.resolve();
      const { resolvedRequestType: request, resolvedResponseType: response } = method;
      if (!request || !response) throw new Error(`cannot resolve the types of ${serviceName}/${method.name}`);
      this.methods.set(`/${serviceName}/${method.name}`, { service: serviceName, name: method.name, request, response, handler: handlers[method.name] });
    }
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  /** Stops accepting connections, lets calls in progress finish for `graceMs`, then cuts the rest. */
  async close(graceMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const session of this.sessions) session.close();
    const force = setTimeout(() => {
      for (const session of this.sessions) session.destroy();
    }, graceMs);
    await closed;
    clearTimeout(force);
  }

  private onStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    stream.on('error', () => undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is only counted: the answer is an error either way.
      if (size <= this.maxMessageBytes + 5) chunks.push(chunk);
    });
    stream.on('end', () => this.call(stream, headers, chunks, size));
  }

  private call(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, chunks: Buffer[], size: number): void {
    const method = this.methods.get(String(headers[':path']));
    const name = method?.name ?? String(headers[':path']);
    // The signal is made only for handlers that read it (long polls): building an AbortSignal
    // for every call costs more than many handlers.
    let controller: AbortController | undefined;
    let cancelled = false;
    let answered = false;
    stream.once('close', () => {
      if (answered) return;
      cancelled = true;
      controller?.abort();
    });
    const timeout = parseGrpcTimeout(headers['grpc-timeout'] as string | undefined);
    const ctx: CallContext = {
      deadline: Date.now() + (timeout ?? NO_DEADLINE_MS),
      get signal() {
        if (!controller) {
          controller = new AbortController();
          if (cancelled) controller.abort();
        }
        return controller.signal;
      },
      method: name,
    };
    const started = Date.now();
    Promise.resolve()
      .then(() => {
        if (!method) throw new CallError(GrpcStatus.UNIMPLEMENTED, `unknown method ${name}`);
        if (!method.handler) throw new CallError(GrpcStatus.UNIMPLEMENTED, `${method.service}/${name} is not supported by the embedded engine`);
        return method.handler(this.decode(method, headers, chunks, size), ctx);
      })
      .then(
        (response) => {
          answered = true;
          this.log.debug(`${name} ok in ${Date.now() - started} ms`);
          let frame: Buffer;
          try {
            frame = messageFrame(method!.response, response);
          } catch (err) {
            this.fail(stream, statusOf(err, this.log, name));
            return;
          }
          this.answer(stream, frame);
        },
        (err: unknown) => {
          answered = true;
          this.log.debug(`${name} failed in ${Date.now() - started} ms: ${err instanceof Error ? err.message : String(err)}`);
          this.fail(stream, statusOf(err, this.log, name));
        },
      );
  }

  private decode(method: Method, headers: http2.IncomingHttpHeaders, chunks: Buffer[], size: number): object {
    if (size > this.maxMessageBytes + 5) throw new CallError(GrpcStatus.RESOURCE_EXHAUSTED, `request of ${size} bytes is larger than ${this.maxMessageBytes}`);
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
    if (body.length < 5 || body.length !== 5 + body.readUInt32BE(1)) {
      throw new CallError(GrpcStatus.INVALID_ARGUMENT, `malformed ${method.name} request: expected exactly one length-prefixed message`);
    }
    let message = body.subarray(5);
    if (body[0] === 1) {
      const encoding = String(headers['grpc-encoding'] ?? 'identity');
      const options = { maxOutputLength: this.maxMessageBytes };
      if (encoding === 'gzip') message = zlib.gunzipSync(message, options);
      else if (encoding === 'deflate') message = zlib.inflateSync(message, options);
      else throw new CallError(GrpcStatus.UNIMPLEMENTED, `grpc-encoding ${encoding} is not supported`);
    }
    try {
      return method.request.toObject(method.request.decode(message), DECODE_OPTIONS);
    } catch (err) {
      throw new CallError(GrpcStatus.INVALID_ARGUMENT, `malformed ${method.name} request: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private answer(stream: http2.ServerHttp2Stream, frame: Buffer): void {
    this.send(stream, { ':status': 200, 'content-type': 'application/grpc', 'grpc-accept-encoding': 'identity,deflate,gzip' }, frame);
  }

  /** A trailers-only answer: the status travels in the one HEADERS frame. */
  private fail(stream: http2.ServerHttp2Stream, status: { code: GrpcStatus; message: string; details?: Buffer }): void {
    this.send(stream, {
      ':status': 200,
      'content-type': 'application/grpc',
      'grpc-status': String(status.code),
      'grpc-message': encodeGrpcMessage(status.message),
      ...(status.details ? { 'grpc-status-details-bin': status.details.toString('base64') } : {}),
    });
  }

  /** Headers, then the message and an OK status in trailers, or the headers alone when they carry the status. */
  private send(stream: http2.ServerHttp2Stream, headers: http2.OutgoingHttpHeaders, frame?: Buffer): void {
    if (stream.destroyed || stream.closed) return;
    try {
      if (!frame) {
        stream.respond(headers, { endStream: true });
        return;
      }
      stream.respond(headers, { waitForTrailers: true });
      stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(frame);
    } catch (err) {
      // The caller's connection went away between the check and the answer: nobody is left to tell.
      this.log.debug(`answer not sent: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
