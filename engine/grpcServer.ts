import * as grpc from '@grpc/grpc-js';
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
const UNDECODABLE = Symbol('undecodable request');

export function buildServiceDefinition(serviceName: string): {
  definition: grpc.ServiceDefinition;
  types: Map<string, { request: Type; response: Type }>;
} {
  const service = root.lookupService(serviceName);
  // Resolves the request/response types of every method (they are stored as relative names).
  for (const method of Object.values(service.methods)) method.resolve();
  const definition: Record<string, grpc.MethodDefinition<object, object>> = {};
  const types = new Map<string, { request: Type; response: Type }>();
  for (const method of Object.values(service.methods)) {
    // Streaming methods (Health/Watch) are not served; clients fall back to their unary twins.
    if (method.requestStream || method.responseStream) continue;
    const request = method.resolvedRequestType;
    const response = method.resolvedResponseType;
    if (!request || !response) throw new Error(`cannot resolve the types of ${serviceName}/${method.name}`);
    types.set(method.name, { request, response });
    definition[method.name] = {
      path: `/${serviceName}/${method.name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (value: object) => Buffer.from(request.encode(value).finish()),
      // A request that does not decode is answered INVALID_ARGUMENT by the handler wrapper, not with a crash.
      requestDeserialize: (bytes: Buffer) => {
        try {
          return request.toObject(request.decode(bytes), DECODE_OPTIONS);
        } catch (err) {
          return { [UNDECODABLE]: err instanceof Error ? err.message : String(err) };
        }
      },
      responseSerialize: (value: object) => Buffer.from(response.encode(value).finish()),
      responseDeserialize: (bytes: Buffer) => response.toObject(response.decode(bytes), DECODE_OPTIONS),
    };
  }
  return { definition, types };
}

function toServiceError(err: unknown, log: Logger, method: string): grpc.ServiceError {
  const metadata = new grpc.Metadata();
  if (err instanceof EngineError) {
    if (err.details.length > 0) {
      const statusType = root.lookupType('google.rpc.Status');
      const encoded = statusType.encode({ code: err.code, message: err.message, details: err.details }).finish();
      metadata.set('grpc-status-details-bin', Buffer.from(encoded));
    }
    return Object.assign(new Error(err.message), { code: err.code, details: err.message, metadata });
  }
  log.error(`internal error in ${method}`, err);
  const message = err instanceof Error ? err.message : String(err);
  return Object.assign(new Error(message), { code: GrpcStatus.INTERNAL, details: `internal error: ${message}`, metadata });
}

/**
 * Registers `handlers` for every method of `serviceName`. Methods without a handler answer
 * UNIMPLEMENTED with the method's name, so a caller learns exactly what is missing.
 */
export function addService(
  server: grpc.Server,
  serviceName: string,
  handlers: ServiceHandlers,
  log: Logger,
): void {
  const { definition } = buildServiceDefinition(serviceName);
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const name of Object.keys(definition)) {
    const handler = handlers[name];
    implementation[name] = (call: grpc.ServerUnaryCall<object, object>, callback: grpc.sendUnaryData<object>) => {
      if (!handler) {
        callback({
          code: GrpcStatus.UNIMPLEMENTED,
          details: `${serviceName}/${name} is not supported by the embedded engine`,
        } as grpc.ServiceError);
        return;
      }
      const undecodable = (call.request as Record<symbol, string>)[UNDECODABLE];
      if (undecodable !== undefined) {
        callback({ code: GrpcStatus.INVALID_ARGUMENT, details: `malformed ${name} request: ${undecodable}` } as grpc.ServiceError);
        return;
      }
      // The signal is made only for handlers that read it (long polls): building an AbortSignal
      // for every call costs more than many handlers. grpc-js also reports 'cancelled' after every
      // answered call; aborting then would only build a DOMException nobody reads.
      let controller: AbortController | undefined;
      let cancelled = false;
      let answered = false;
      call.on('cancelled', () => {
        if (answered) return;
        cancelled = true;
        controller?.abort();
      });
      const rawDeadline = call.getDeadline();
      const deadline = rawDeadline instanceof Date ? rawDeadline.getTime() : Number(rawDeadline);
      const ctx: CallContext = {
        deadline: Number.isFinite(deadline) ? deadline : Date.now() + 24 * 3600_000,
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
        .then(() => handler(call.request, ctx))
        .then(
          (response) => {
            answered = true;
            log.debug(`${name} ok in ${Date.now() - started} ms`);
            callback(null, response);
          },
          (err: unknown) => {
            answered = true;
            log.debug(`${name} failed in ${Date.now() - started} ms: ${err instanceof Error ? err.message : String(err)}`);
            callback(toServiceError(err, log, name));
          },
        );
    };
  }
  server.addService(definition, implementation);
}
