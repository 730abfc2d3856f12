/**
 * The office the browser tests work in: the API with certification cases serving the built web
 * app, officers created with a session each, pages opened already logged in, and one close() for
 * the pages, the browser and the app.
 */
import type { Page } from 'playwright-core';
import { startCaseApp, type CaseApp } from '../support/caseApp';
import { createTestOfficer, lastOtp, sessionFor, TEST_PASSWORD, type OfficerSpec, type TestApp } from '../support/identityApp';
import { closeBrowser, newPage } from './browser';

export interface WebOffice {
  app: CaseApp;
  /** Officers' ids and session tokens, by the name they were created under. */
  ids: Record<string, string>;
  tokens: Record<string, string>;
  /** Creates officer `name` (username `<name>.<suffix>`) and a session for it. */
  officer(name: string, fullName: string, rights: OfficerSpec['rights'], unitIds: string[]): Promise<void>;
  /** A fresh page, closed with the office; `locale` is the browser's language (default vi-VN). */
  newPage(locale?: string): Promise<Page>;
  /** A page already logged in as `who` (logging in itself is test/web/login.test.ts's). */
  pageAs(who: string, locale?: string): Promise<Page>;
  close(): Promise<void>;
}

/** Starts the office; officers' usernames end in `.<usernameSuffix>`. */
export async function startWebOffice(usernameSuffix = 'web'): Promise<WebOffice> {
  const app = await startCaseApp({}, { web: true });
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  const pages: Page[] = [];
  const office: WebOffice = {
    app,
    ids,
    tokens,
    async officer(name, fullName, rights, unitIds) {
      ids[name] = await createTestOfficer(app.ctx.db, { username: `${name}.${usernameSuffix}`, fullName, rights, unitIds });
      tokens[name] = await sessionFor(app, ids[name]);
    },
    async newPage(locale) {
      const page = await newPage(app.baseUrl, locale);
      pages.push(page);
      return page;
    },
    async pageAs(who, locale) {
      const page = await office.newPage(locale);
      await page.addInitScript({ content: `sessionStorage.setItem('chungthuc.token', ${JSON.stringify(tokens[who])});` });
      return page;
    },
    async close() {
      for (const p of pages) await p.context().close();
      await closeBrowser();
      await app.close();
    },
  };
  return office;
}

/** Logs `username` in through the login form with the SMS code sent to `phone`. */
export async function logInThroughForm(page: Page, app: TestApp, username: string, phone: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByLabel('Mã OTP').waitFor();
  await page.getByLabel('Mã OTP').fill(await lastOtp(app, phone));
  await page.getByRole('button', { name: 'Xác nhận' }).click();
}
