import type { Browser, Page } from 'playwright-core';
import {
  act,
  baseUrl,
  checkAndShoot,
  choose,
  launchChromium,
  login,
  openConsole,
  taskButton,
  waitUntil,
} from './console';

/**
 * A whole case walked in Chromium by the people who handle it, through the console only: the operator takes the
 * call, the street handler signs, contacts and whistles, the department reports and submits its result, the co-unit
 * reports its part, the
 * handler rates it and escalates, the community committee's coordinator instructs, the handler replies, the operator
 * reviews and calls back, and the case closes. A handler of another unit sees neither the case nor its task.
 */
describe('console: a case from call to close in the browser', () => {
  let browser: Browser;
  let caseNo = '';
  const pages: Page[] = [];
  const as = async (username: string, language: 'zh-CN' | 'en' = 'zh-CN') => {
    if (!caseNo && username !== 'operator') throw new Error('no case: the intake step failed');
    const page = await openConsole(browser, language);
    pages.push(page);
    await login(page, username);
    return page;
  };

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('should open a case from the operator intake form', async () => {
    const page = await as('operator');
    await page.goto(`${baseUrl()}/intake`);
    await page.locator('#category').fill('noise-nuisance');
    await page.locator('#place_districtId').fill('d-donghu');
    await page.locator('#place_streetId').fill('s-hubin');
    await page.locator('#place_communityId').fill('c-xiyuan');
    await page.locator('#citizen_name').fill('王小明');
    await page.locator('#citizen_phone').fill('13800138000');
    await page.locator('#description').fill('楼下餐馆深夜噪声扰民（浏览器测试）');
    await checkAndShoot(page, 'intake', 'zh-CN');
    await page.getByRole('button', { name: '提交' }).click();
    caseNo = (await page.getByTestId('created-case').innerText()).trim();
    expect(caseNo).toMatch(/^\d{14,}$/);
  });

  it('should let the street handler sign, contact the citizen and whistle a department', async () => {
    const page = await as('handler.s-hubin');
    await taskButton(page, caseNo, 'sign');
    await checkAndShoot(page, 'inbox', 'zh-CN');
    await act(page, caseNo, 'sign');
    // Contact from the case page's own task list rather than the inbox.
    await page.goto(`${baseUrl()}/cases/${caseNo}`);
    const contact = page.getByRole('button', { name: '联系市民' });
    await waitUntil(async () => (await contact.count()) > 0 || (await page.reload(), false));
    await contact.click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('#action-contact_note').fill('已电话联系市民');
    await dialog.locator('.ant-modal-footer button.ant-btn-primary').click();
    await dialog.waitFor({ state: 'detached' });
    await act(page, caseNo, 'whistle', async (form) => {
      await form.locator('#action-whistle_departmentIds').fill('dept-urban-management');
      await form.locator('#action-whistle_departmentIds').press('Enter');
      await choose(page, form.locator('.ant-form-item:has(#action-whistle_grade) .ant-select'), '蓝哨');
      await form.locator('#action-whistle_reason').fill('需要城管执法到场');
    });
  });

  it('should let the summoned department report and submit its result', async () => {
    const page = await as('handler.dept-urban-management');
    await act(page, caseNo, 'report', (form) => form.locator('#action-report_note').fill('已到场'));
    await act(page, caseNo, 'result', (form) => form.locator('#action-result_summary').fill('已责令餐馆整改'));
  });

  it('should let the co-unit report its part to the lead unit', async () => {
    const page = await as('handler.dept-ecology');
    await act(page, caseNo, 'co-unit-report', (form) =>
      form.locator('#action-co-unit-report_summary').fill('已检测噪声并出具监测报告'),
    );
  });

  it('should let the whistler rate the department and escalate to the committee', async () => {
    const page = await as('handler.s-hubin');
    await act(page, caseNo, 'rate', async (form) => {
      await waitUntil(
        async () => (await form.locator('#action-rate_departmentId').inputValue()) === 'dept-urban-management',
      );
      await form.locator('#action-rate_score').fill('5');
    });
    await act(page, caseNo, 'escalate', (form) => form.locator('#action-escalate_reason').fill('需社区协调物业配合'));
  });

  it('should let the community committee coordinator instruct', async () => {
    const page = await as('coordinator.cc-c-xiyuan');
    await act(page, caseNo, 'coordinate', (form) =>
      form.locator('#action-coordinate_instruction').fill('请湖滨街道牵头，三日内完成整改'),
    );
  });

  it('should refuse a reply without a summary in the user language and change nothing', async () => {
    const page = await as('handler.s-hubin', 'en');
    await (await taskButton(page, caseNo, 'reply')).click();
    const dialog = page.getByRole('dialog');
    await choose(page, dialog.locator('.ant-form-item:has(#action-reply_result) .ant-select'), 'Solved');
    await dialog.locator('.ant-modal-footer button.ant-btn-primary').click();
    await dialog.getByText('Required').first().waitFor();
    await checkAndShoot(page, 'action-form', 'en');
    await dialog.locator('#action-reply_summary').fill('Noise stopped; the restaurant fitted insulation');
    await dialog.locator('.ant-modal-footer button.ant-btn-primary').click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('should let the operator review, call back with the unmasked phone and close the case', async () => {
    const page = await as('operator');
    await act(page, caseNo, 'review', (form) => form.locator('#action-review_accepted').click());
    await act(page, caseNo, 'callback', async (form) => {
      await form.getByTestId('citizen-contact').filter({ hasText: '王小明 13800138000' }).waitFor();
      await form.locator('#action-callback_reached').click();
      await form.locator('#action-callback_solved').click();
      await choose(page, form.locator('.ant-form-item:has(#action-callback_satisfaction) .ant-select'), '满意');
    });
    await page.goto(`${baseUrl()}/cases/${caseNo}`);
    await waitUntil(async () => {
      await page.reload();
      return (await page.getByTestId('case-status').innerText()) === '已办结';
    });
    expect(await page.locator('body').innerText()).not.toContain('13800138000');
    await checkAndShoot(page, 'case', 'zh-CN');
    await page.getByText('English', { exact: true }).click();
    await page.reload(); // the switch is remembered
    await page.getByTestId('case-status').filter({ hasText: 'Closed' }).waitFor();
    await checkAndShoot(page, 'case', 'en');
  });

  it('should show a handler of another unit neither the case nor its task', async () => {
    const page = await as('handler.dept-housing');
    await page.waitForSelector('.ant-table');
    expect(await page.locator(`a:text-is("${caseNo}")`).count()).toBe(0);
    await page.goto(`${baseUrl()}/cases/${caseNo}`);
    // Scope before state: another unit's case answers as an unknown number would.
    await page.getByRole('alert').filter({ hasText: '没有这个工单' }).waitFor();
  });

  it('should send an expired session back to login and then to the page it was on', async () => {
    const page = await as('handler.s-hubin', 'en');
    await checkAndShoot(page, 'inbox', 'en');
    await page.evaluate(() => localStorage.setItem('shaosheng.token', 'expired.token.value'));
    await page.goto(`${baseUrl()}/cases/${caseNo}`);
    await page.waitForURL(/\/login\?expired=1&next=/);
    await page.getByText('Your session expired').waitFor();
    await checkAndShoot(page, 'login', 'en');
    await page.locator('#username').fill('handler.s-hubin');
    await page.locator('#password').fill('shaosheng-demo');
    await page.locator('button[type=submit]').click();
    await page.waitForURL(new RegExp(`/cases/${caseNo}$`));
  });

  it('should show the public its progress by case number, status only', async () => {
    const page = await openConsole(browser, 'zh-CN');
    await page.goto(`${baseUrl()}/public`);
    await page.waitForSelector('#description');
    await checkAndShoot(page, 'public-submit', 'zh-CN');
    await page.goto(`${baseUrl()}/public/progress?caseNo=${caseNo}`);
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByTestId('public-status').filter({ hasText: '已办结' }).waitFor();
    expect(await page.locator('body').innerText()).not.toContain('王');
    await checkAndShoot(page, 'public-progress', 'zh-CN');
  });
});
