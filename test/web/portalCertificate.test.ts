/**
 * "USB ký số" on the citizens' portal in a real browser (seed 001, registration way 3 and login
 * way 2), with a certificate issued by the embedded authority: through the reference signer
 * (`npm run signer`, asked for the PIN in its own terminal) and through the .p12 file signed in
 * the page. Registration shows the identity read from the certificate and asks for the e-mail;
 * login opens the documents without password or code. Also: the page when no signing tool
 * answers, the English version, and no technical words on the public screens.
 */
import { expect } from 'chai';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEFAULT_CITIZEN_CONFIG } from '../../api/context';
import { CaptchaService } from '../../infra/captcha/captcha';
import { issueCitizenCertificate } from '../../infra/pki/citizenCertificates';
import { writePkcs12 } from '../../infra/pki/pkcs12';
import { Pki } from '../../infra/pki/pki';
import { TEST_MASTER_KEY } from '../support/certificationServices';
import { CAPTCHA_ANSWER, CITIZEN_PASSWORD, newPerson, type Person } from '../support/citizenApp';
import { startTestApp, type TestApp } from '../support/identityApp';
import { startReferenceSigner, type ReferenceSigner } from '../support/referenceSigner';
import { closeBrowser, newPage, screenshot } from './browser';

const TOOL_PIN = '135790';
const FILE_PIN = 'Tep@PIN2026';

describe('web UI: the portal’s digital-signature registration and login (real browser)', function () {
  this.timeout(180_000);
  let app: TestApp;
  let pki: Pki;
  let dir: string;
  let signer: ReferenceSigner | undefined;

  before(async () => {
    app = await startTestApp({}, { web: true });
    pki = new Pki(app.ctx.db, { masterKey: TEST_MASTER_KEY, now: () => app.clock.now().getTime() });
    app.ctx.pki = pki;
    app.ctx.captcha = new CaptchaService(app.ctx.db, app.clock, { text: () => CAPTCHA_ANSWER });
    dir = mkdtempSync(join(tmpdir(), 'portal-certificate-'));
  });
  after(async () => {
    await signer?.close();
    await closeBrowser();
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A .p12 file from the embedded authority for `person`, protected by `pin`. */
  async function p12For(person: Person, pin: string): Promise<{ path: string; bytes: Buffer }> {
    const cert = await issueCitizenCertificate(pki, { idNumber: person.idNumber, fullName: person.fullName });
    const ca = (await pki.authority()).certificate;
    const bytes = writePkcs12({ certificate: cert.certificatePem, chain: [ca], privateKey: createPrivateKey(cert.privateKeyPem) }, pin);
    const path = join(dir, `${person.idNumber}.p12`);
    writeFileSync(path, bytes);
    return { path, bytes };
  }

  function useSignerAt(url: string): void {
    app.ctx.citizen = { ...DEFAULT_CITIZEN_CONFIG, signerUrl: url };
  }

  /** What the signer shows for the next request, once it asks for the PIN. */
  async function signerPrompt(mark: number): Promise<string> {
    await signer!.waitFor(/Nhập mã PIN để đồng ý ký/, mark);
    return signer!.output().slice(mark);
  }

  async function fillAccountDetails(page: Page, person: Person, email: string): Promise<void> {
    await page.getByLabel(/^Thư điện tử/).fill(email);
    // Typed dd/mm/yyyy, whatever the browser's language.
    await page.getByLabel(/^Ngày sinh/).fill(person.birthDate.split('-').reverse().join('/'));
    await page.getByLabel(/^Số điện thoại/).fill(person.phone);
    await page.getByLabel(/^Mật khẩu/).fill(CITIZEN_PASSWORD);
    await page.getByLabel(/^Nhập lại mật khẩu/).fill(CITIZEN_PASSWORD);
  }

  async function noTechnicalWords(page: Page): Promise<void> {
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).to.not.match(/\/api\/|\bAPI\b|POST |challenge|PEM|base64|CMS/);
  }

  it('registers with the signing tool: the tool asks for the PIN, the page shows the identity read from the certificate and asks for the e-mail; then logs in with it', async () => {
    const person = newPerson({ idNumber: '012090555001', fullName: 'Giàng Thị Súa' });
    const { path } = await p12For(person, TOOL_PIN);
    signer = await startReferenceSigner({ p12Path: path, pin: TOOL_PIN, origins: [app.baseUrl] });
    useSignerAt(signer.url);

    const page = await newPage(app.baseUrl);
    await page.goto('/#/portal/register');
    await page.getByRole('tab', { name: 'USB ký số' }).click();
    const card = page.locator('label.certificate-card', { hasText: 'Giàng Thị Súa' });
    await card.waitFor();
    expect(await card.textContent()).to.include('Số định danh 012090555001').and.include('Cấp bởi CA chứng thực điện tử nội bộ');
    await noTechnicalWords(page);
    await screenshot(page, 'portal-cert-01-dang-ky-usb-ky-so');

    let mark = signer.output().length;
    await page.getByRole('button', { name: 'Ký số để đăng ký' }).click();
    const prompt = await signerPrompt(mark);
    expect(prompt).to.include(`Trang web yêu cầu : ${app.baseUrl}`).and.include('ĐĂNG KÝ tài khoản').and.match(/Chuỗi được ký {5}: dichvucong:register:/);
    await page.getByText('Hãy xác nhận yêu cầu và nhập mã PIN trên công cụ ký số').waitFor();
    await screenshot(page, 'portal-cert-02-cho-nhap-ma-pin');
    signer.type(TOOL_PIN);

    const identity = page.getByTestId('certificate-identity');
    await identity.waitFor();
    const shown = (await identity.textContent()) ?? '';
    expect(shown).to.include('Giàng Thị Súa').and.include('012090555001').and.include('CA chứng thực điện tử nội bộ');
    await fillAccountDetails(page, person, 'sua@example.vn');
    await screenshot(page, 'portal-cert-03-thong-tin-tu-chung-thu');
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    await page.getByText('Đăng ký tài khoản thành công').waitFor();
    await screenshot(page, 'portal-cert-04-dang-ky-thanh-cong');
    const rows: Array<{ verified_by: string; assurance_level: string; email: string; full_name: string }> = await app.ctx.db.query(
      'select verified_by, assurance_level, email, full_name from citizen_accounts where username = $1',
      [person.idNumber],
    );
    expect(rows).to.deep.equal([{ verified_by: 'certificate', assurance_level: 'IAL3', email: 'sua@example.vn', full_name: 'Giàng Thị Súa' }]);

    await page.locator('.success').getByRole('link', { name: 'Đăng nhập' }).click();
    await page.getByRole('tab', { name: 'USB ký số' }).click();
    await page.locator('label.certificate-card', { hasText: 'Giàng Thị Súa' }).waitFor();
    await noTechnicalWords(page);
    mark = signer.output().length;
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    expect(await signerPrompt(mark)).to.include('ĐĂNG NHẬP trên Cổng dịch vụ công');
    signer.type(TOOL_PIN);
    await page.getByRole('heading', { name: 'Giấy tờ của tôi' }).waitFor();
    expect(await page.locator('.citizen-name').textContent()).to.equal('Giàng Thị Súa');
    await page.getByRole('link', { name: 'Tài khoản' }).click();
    const details = (await page.locator('.details').textContent()) ?? '';
    expect(details).to.include('Mức độ 3 — Chữ ký số').and.include('Giàng Thị Súa (CCCD:012090555001)').and.not.include('IAL');
    await screenshot(page, 'portal-cert-05-tai-khoan-sau-dang-nhap');
    const sessions: Array<{ method: string }> = await app.ctx.db.query(
      `select s.method from citizen_sessions s join citizen_accounts a on a.id = s.account_id where a.username = $1`,
      [person.idNumber],
    );
    expect(sessions).to.deep.equal([{ method: 'certificate' }]);
    await page.context().close();
    await signer.close();
    signer = undefined;
  });

  it('registers and logs in with a .p12 file signed in the page: a wrong PIN is told, the file and the PIN are never sent', async () => {
    const person = newPerson({ idNumber: '012090555002', fullName: 'Lò Văn Pằng' });
    const { path, bytes } = await p12For(person, FILE_PIN);
    // No signing tool on this computer: the page says so and offers the file instead.
    useSignerAt('http://127.0.0.1:9');
    const page = await newPage(app.baseUrl);
    const sent: string[] = [];
    page.on('request', (r) => sent.push(`${r.url()} ${r.postData() ?? ''}`));
    await page.goto('/#/portal/register');
    await page.getByRole('tab', { name: 'USB ký số' }).click();
    await page.getByText('Không tìm thấy công cụ ký số trên máy tính này').waitFor();
    await screenshot(page, 'portal-cert-06-khong-thay-cong-cu');

    await page.getByRole('tab', { name: 'Tệp chứng thư số' }).click();
    await page.locator('input[name="p12"]').setInputFiles(path);
    await page.getByText(`${person.idNumber}.p12`).waitFor();
    await page.getByLabel(/^Mã PIN của tệp/).fill('sai-ma-pin');
    await page.getByRole('button', { name: 'Ký số để đăng ký' }).click();
    const wrong = page.getByRole('alert').filter({ hasText: 'Mã PIN (mật khẩu của tệp) không đúng.' });
    await wrong.waitFor();
    await screenshot(page, 'portal-cert-07-tep-p12-sai-ma-pin');

    await page.getByLabel(/^Mã PIN của tệp/).fill(FILE_PIN);
    await page.getByRole('button', { name: 'Ký số để đăng ký' }).click();
    await page.getByTestId('certificate-identity').getByText('Lò Văn Pằng').waitFor();
    await fillAccountDetails(page, person, 'pang@example.vn');
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    await page.getByText('Đăng ký tài khoản thành công').waitFor();

    await page.goto('/#/portal/login');
    await page.getByRole('tab', { name: 'USB ký số' }).click();
    await page.getByRole('tab', { name: 'Tệp chứng thư số' }).click();
    await page.locator('input[name="p12"]').setInputFiles(path);
    await page.getByLabel(/^Mã PIN của tệp/).fill(FILE_PIN);
    await screenshot(page, 'portal-cert-08-dang-nhap-bang-tep');
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await page.getByRole('heading', { name: 'Giấy tờ của tôi' }).waitFor();
    expect(await page.locator('.citizen-name').textContent()).to.equal('Lò Văn Pằng');

    // What left the browser: signatures, never the file, its key or its PIN.
    const everything = sent.join('\n');
    expect(everything).to.include('/api/citizen/register/certificate').and.include('/api/citizen/login/certificate');
    for (const secret of [FILE_PIN, bytes.toString('base64').slice(0, 64), bytes.toString('latin1').slice(100, 164)]) expect(everything).to.not.include(secret);
    await page.context().close();
  });

  it('reads in English too, and keeps the larger captcha with "Another picture" on the password login', async () => {
    useSignerAt('http://127.0.0.1:9');
    const page = await newPage(app.baseUrl);
    await page.goto('/#/portal/login');
    const picture = page.getByRole('img', { name: 'Hình mã xác thực' });
    await picture.waitFor();
    expect(await picture.getAttribute('src')).to.match(/^data:image\/png;base64,/);
    const box = await picture.boundingBox();
    expect([box?.width, box?.height]).to.deep.equal([270, 90]);
    const first = await picture.getAttribute('src');
    await page.getByRole('button', { name: 'Đổi hình khác' }).click();
    // A new captcha: a new picture (drawn anew even for the same answer).
    for (let tries = 0; (await picture.getAttribute('src')) === first; tries++) {
      expect(tries, 'the picture never changed').to.be.below(50);
      await page.waitForTimeout(100);
    }
    await noTechnicalWords(page);
    await screenshot(page, 'portal-cert-09-dang-nhap-captcha');

    await page.getByRole('button', { name: 'language' }).click();
    await page.getByRole('tab', { name: 'USB signing token' }).click();
    await page.getByText('No signing tool answers on this computer').waitFor();
    await page.getByRole('tab', { name: 'Certificate file' }).click();
    await page.getByText('The file and the PIN are used on this computer only').waitFor();
    await screenshot(page, 'portal-cert-10-english');
    await page.context().close();
  });
});
