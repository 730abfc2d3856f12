/** Mail settings from the environment: the embedded server by default, a real server when named, clear refusals. */
import { expect } from 'chai';
import { createMailTransport, DEFAULT_MAIL_FROM, describeMailSettings, mailSettingsFromEnv } from '../../infra/mail/mailTransport';

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    mailSettingsFromEnv(env);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('mail: settings from the environment', () => {
  it('sends to the embedded server on 127.0.0.1:2525 when no SMTP server is named', () => {
    expect(mailSettingsFromEnv({})).to.deep.equal({ kind: 'local', host: '127.0.0.1', port: 2525, secure: false, from: DEFAULT_MAIL_FROM, tlsRejectUnauthorized: true });
    expect(mailSettingsFromEnv({ LOCAL_SMTP_PORT: '2600', SMTP_HOST: '', SMTP_FROM: 'UBND xã Nùng Năng <mot-cua@nungnang.gov.vn>' })).to.deep.include({
      kind: 'local',
      port: 2600,
      from: 'UBND xã Nùng Năng <mot-cua@nungnang.gov.vn>',
    });
  });

  it('reads SMTP_URL, credentials URL-encoded, default ports by scheme', () => {
    expect(mailSettingsFromEnv({ SMTP_URL: 'smtps://mot.cua%40tinh.gov.vn:m%E1%BA%ADt%3Akh%E1%BA%A9u@mail.tinh.gov.vn' })).to.deep.equal({
      kind: 'smtp',
      host: 'mail.tinh.gov.vn',
      port: 465,
      secure: true,
      auth: { user: 'mot.cua@tinh.gov.vn', pass: 'mật:khẩu' },
      from: DEFAULT_MAIL_FROM,
      tlsRejectUnauthorized: true,
    });
    expect(mailSettingsFromEnv({ SMTP_URL: 'smtp://relay.noibo:25', SMTP_TLS_REJECT_UNAUTHORIZED: 'false' })).to.deep.equal({
      kind: 'smtp',
      host: 'relay.noibo',
      port: 25,
      secure: false,
      from: DEFAULT_MAIL_FROM,
      tlsRejectUnauthorized: false,
    });
    expect(mailSettingsFromEnv({ SMTP_URL: 'smtp://mail.example.vn' }).port).to.equal(587);
  });

  it('reads SMTP_HOST and its companions; port 465 means TLS from the start unless told otherwise', () => {
    expect(mailSettingsFromEnv({ SMTP_HOST: 'smtp.example.vn', SMTP_PORT: '465', SMTP_USER: 'u', SMTP_PASSWORD: 'p' })).to.deep.include({
      kind: 'smtp',
      host: 'smtp.example.vn',
      port: 465,
      secure: true,
      auth: { user: 'u', pass: 'p' },
    });
    expect(mailSettingsFromEnv({ SMTP_HOST: 'smtp.example.vn' })).to.deep.include({ port: 587, secure: false });
    expect(mailSettingsFromEnv({ SMTP_HOST: 'smtp.example.vn', SMTP_SECURE: 'true' })).to.deep.include({ port: 465, secure: true });
    expect(mailSettingsFromEnv({ SMTP_HOST: 'smtp.example.vn', SMTP_PORT: '2465', SMTP_SECURE: 'false' })).to.deep.include({ port: 2465, secure: false });
  });

  it('refuses wrong or conflicting settings, saying which and why, in Vietnamese and English', () => {
    expect(refusal({ SMTP_HOST: 'h', SMTP_PORT: 'abc' })).to.match(/^Cấu hình thư điện tử không hợp lệ \/ Invalid mail settings: SMTP_PORT phải là số cổng 1–65535/);
    expect(refusal({ SMTP_HOST: 'h', SMTP_PORT: '70000' })).to.contain('SMTP_PORT');
    expect(refusal({ LOCAL_SMTP_PORT: '0' })).to.contain('LOCAL_SMTP_PORT');
    expect(refusal({ SMTP_HOST: 'h', SMTP_SECURE: 'yes' })).to.contain('SMTP_SECURE phải là true hoặc false');
    expect(refusal({ SMTP_TLS_REJECT_UNAUTHORIZED: '0' })).to.contain('SMTP_TLS_REJECT_UNAUTHORIZED');
    expect(refusal({ SMTP_URL: 'http://mail.example.vn' })).to.contain('smtp:// hoặc smtps://');
    expect(refusal({ SMTP_URL: 'không phải địa chỉ' })).to.contain('SMTP_URL phải có dạng');
    expect(refusal({ SMTP_URL: 'smtp://u@mail.example.vn' })).to.contain('cả tên đăng nhập và mật khẩu');
    expect(refusal({ SMTP_URL: 'smtp://mail.example.vn', SMTP_HOST: 'other' })).to.contain('bỏ SMTP_HOST');
    expect(refusal({ SMTP_HOST: 'h', SMTP_USER: 'u' })).to.contain('SMTP_USER và SMTP_PASSWORD phải đặt cùng nhau');
    expect(refusal({ SMTP_USER: 'u', SMTP_PASSWORD: 'p' })).to.contain('cần SMTP_HOST');
    expect(refusal({ SMTP_FROM: 'Một cửa' })).to.contain('SMTP_FROM phải là');
  });

  it('never shows the password when describing where mail goes', () => {
    const s = mailSettingsFromEnv({ SMTP_URL: 'smtp://user:bi-mat@mail.example.vn:587' });
    expect(describeMailSettings(s)).to.equal('smtp://user:***@mail.example.vn:587');
    expect(describeMailSettings(mailSettingsFromEnv({}))).to.equal('embedded SMTP server smtp://127.0.0.1:2525');
  });

  it('requires TLS before sending a password over a connection that does not start encrypted', () => {
    const withPassword = createMailTransport(mailSettingsFromEnv({ SMTP_HOST: 'smtp.example.vn', SMTP_USER: 'u', SMTP_PASSWORD: 'p' }));
    const local = createMailTransport(mailSettingsFromEnv({}));
    const options = (t: unknown) => (t as { transporter: { options: { requireTLS?: boolean; ignoreTLS?: boolean } } }).transporter.options;
    expect(options(withPassword)).to.include({ requireTLS: true, ignoreTLS: false });
    expect(options(local)).to.include({ requireTLS: false, ignoreTLS: true });
  });
});
