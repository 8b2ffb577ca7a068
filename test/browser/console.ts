import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Locator, Page } from 'playwright-core';
import { BROWSER_BASE_URL } from './stack';

/** Screenshots of the main pages, committed with the code (README "Console"). */
export const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');
const AXE = join(__dirname, '..', '..', 'apps', 'console', 'node_modules', 'axe-core', 'axe.min.js');
export const PASSWORD = 'shaosheng-demo';

export function baseUrl(): string {
  const url = process.env[BROWSER_BASE_URL];
  if (!url) throw new Error(`${BROWSER_BASE_URL} is unset: run through the browser project's global setup`);
  return url;
}

/** Debian's Chromium, headless, quiet on the network (shared/STACK.md); playwright gives it a fresh profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh browser context (its own storage: one user) on the console, in the given language. */
export async function openConsole(browser: Browser, language: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'Europe/London' });
  // The first visit's language; a switch made in the page is remembered over reloads, as for a person.
  await context.addInitScript((lang) => {
    if (!localStorage.getItem('shaosheng.lang')) localStorage.setItem('shaosheng.lang', lang);
  }, language);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

export async function login(page: Page, username: string): Promise<void> {
  await page.goto(`${baseUrl()}/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/inbox$/);
}

/** The inbox row of a case's task offering `action`; waits for it (tasks arrive through the SSE stream). */
export async function taskButton(page: Page, caseNo: string, action: string): Promise<Locator> {
  const button = page.locator(`tr:has(a:text-is("${caseNo}")) button[data-action="${action}"]`).first();
  await button.waitFor({ state: 'visible', timeout: 30_000 });
  return button;
}

/** Opens an action's form from the inbox, lets `fill` complete it, submits, and waits for the form to close. */
export async function act(
  page: Page,
  caseNo: string,
  action: string,
  fill: (dialog: Locator) => Promise<void> = async () => undefined,
): Promise<void> {
  if (!page.url().endsWith('/inbox')) await page.goto(`${baseUrl()}/inbox`);
  await (await taskButton(page, caseNo, action)).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await fill(dialog);
  await dialog.locator('.ant-modal-footer button.ant-btn-primary').click();
  await dialog.waitFor({ state: 'detached' });
}

/** Picks an option of an antd Select by its visible text. */
export async function choose(page: Page, field: Locator, option: string): Promise<void> {
  await field.click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

/** axe-core in the page: the serious and critical violations (none expected). */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: Document,
          ): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document);
    return result.violations;
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

/** Text that looks like an i18n key (`actions.sign`, `values.kind.complaint`) shown instead of its translation. */
export async function untranslatedKeys(page: Page): Promise<string[]> {
  const text = await page.locator('body').innerText();
  return (
    text.match(
      /\b(app|nav|roles|login|form|common|time|inbox|steps|actions|fields|rules|errors|refusals|values|deadlines|case|events|intake|public)\.[a-zA-Z][\w.-]*/g,
    ) ?? []
  );
}

/** Saves `docs/screenshots/<name>.<language>.png`, after checking the page for untranslated keys and axe. */
export async function checkAndShoot(page: Page, name: string, language: string): Promise<void> {
  // Not 'networkidle': the inbox keeps its event stream open. Let antd's transitions settle.
  await page.waitForTimeout(600);
  expect(await untranslatedKeys(page)).toEqual([]);
  expect(await seriousViolations(page)).toEqual([]);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.${language}.png`), fullPage: true });
}

/** Polls `check` until it holds (a case moves on asynchronously: workflow, projection, SSE). */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${check.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
