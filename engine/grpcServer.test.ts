import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { encodeGrpcMessage, GrpcServer, parseGrpcTimeout, type Handler } from './grpcServer';
import type { Logger } from './logger';
import { root } from './proto';

describe('engine gRPC transport: header codecs', () => {
  it('reads grpc-timeout in every unit, and nothing from a malformed one', () => {
    expect(parseGrpcTimeout('2H')).to.equal(7_200_000);
    expect(parseGrpcTimeout('3M')).to.equal(180_000);
    expect(parseGrpcTimeout('59S')).to.equal(59_000);
    expect(parseGrpcTimeout('59999m')).to.equal(59_999);
    expect(parseGrpcTimeout('1500u')).to.equal(1.5);
    expect(parseGrpcTimeout('2000000n')).to.equal(2);
    expect(parseGrpcTimeout(undefined)).to.equal(undefined);
    expect(parseGrpcTimeout('123456789S')).to.equal(undefined); // at most 8 digits
    expect(parseGrpcTimeout('10s')).to.equal(undefined);
  });

  it('percent-encodes grpc-message as UTF-8, leaving printable ASCII but % as it is', () => {
    expect(encodeGrpcMessage('Namespace default is not found.')).to.equal('Namespace default is not found.');
    expect(encodeGrpcMessage('100% done')).to.equal('100%25 done');
    expect(encodeGrpcMessage('Hồ sơ')).to.equal('H%E1%BB%93 s%C6%A1');
    expect(encodeGrpcMessage('a\nb')).to.equal('a%0Ab');
    expect(decodeURIComponent(encodeGrpcMessage('Phường Đống Đa: 5% phí'))).to.equal('Phường Đống Đa: 5% phí');
  });
});

describe('engine gRPC transport: calls', () => {
  const HealthCheck = root.lookupType('grpc.health.v1.HealthCheckRequest');
  let server: GrpcServer;
  let client: grpc.Client;
  let check: Handler;
  const errors: string[] = [];
  const log: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (message) => errors.push(message) };

  before(async () => {
    server = new GrpcServer(log, 1024);
    server.addService('grpc.health.v1.Health', { Check: (req, ctx) => check(req, ctx) });
    const port = await server.listen('127.0.0.1', 0);
    client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  after(async () => {
    client.close();
    await server.close(1000);
  });

  function call(body: Uint8Array, deadlineMs?: number): Promise<{ code: number; details: string }> {
    return new Promise((resolve) => {
      client.makeUnaryRequest(
        '/grpc.health.v1.Health/Check',
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from(body),
        deadlineMs ? { deadline: Date.now() + deadlineMs } : {},
        (err) => resolve(err ? { code: err.code, details: err.details } : { code: grpc.status.OK, details: '' }),
      );
    });
  }

  it('answers INTERNAL, with the message, when a handler fails unexpectedly, and logs it', async () => {
    check = () => {
      throw new Error('disk full');
    };
    expect(await call(HealthCheck.encode({ service: 'x' }).finish())).to.deep.equal({ code: grpc.status.INTERNAL, details: 'internal error: disk full' });
    expect(errors).to.deep.equal(['internal error in Check']);
  });

  it('aborts the handler’s signal when the caller gives up', async () => {
    let aborted!: () => void;
    const sawAbort = new Promise<void>((resolve) => (aborted = resolve));
    check = (_req, ctx) =>
      new Promise((resolve) => {
        ctx.signal.addEventListener('abort', () => {
          aborted();
          resolve({ status: 1 });
        });
      });
    const res = await call(HealthCheck.encode({ service: 'x' }).finish(), 200);
    expect(res.code).to.equal(grpc.status.DEADLINE_EXCEEDED);
    await sawAbort;
  });

  it('refuses a request above the message limit with RESOURCE_EXHAUSTED', async () => {
    check = () => ({ status: 1 });
    const res = await call(HealthCheck.encode({ service: 'x'.repeat(2000) }).finish());
    expect(res.code).to.equal(grpc.status.RESOURCE_EXHAUSTED);
    expect(res.details).to.match(/larger than 1024/);
  });
});
