/**
 * A real browser for UI tests: Debian's Chromium (installed by `npm test` through
 * scripts/ensure-system-packages.sh) driven by playwright-core, headless, on a 1366×768 office
 * screen. Screenshots of each main screen go to test-artifacts/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const SCREENSHOTS = resolve(__dirname, '..', '..', 'test-artifacts', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

let browser: Promise<Browser> | undefined;

export function theBrowser(): Promise<Browser> {
  // The flags keep Chromium off the network it cannot reach here (and off Google's update hosts).
  browser ??= chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return browser;
}

export async function closeBrowser(): Promise<void> {
  if (!browser) return;
  const b = await browser;
  browser = undefined;
  await b.close();
}

/** A fresh page (its own storage) on `baseUrl`, in a Vietnamese browser unless `locale` says otherwise (e.g. 'en-US'). */
export async function newPage(baseUrl: string, locale = 'vi-VN'): Promise<Page> {
  const context = await (await theBrowser()).newContext({ viewport: { width: 1366, height: 768 }, baseURL: baseUrl, locale, timezoneId: 'Asia/Ho_Chi_Minh' });
  return context.newPage();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
