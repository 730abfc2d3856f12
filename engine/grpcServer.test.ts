import { expect } from 'chai';
import { encodeGrpcMessage, parseGrpcTimeout } from './grpcServer';

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
