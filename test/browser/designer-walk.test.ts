import type { Browser, Page } from 'playwright-core';
import { baseUrl, checkAndShoot, choose, launchChromium, login, openConsole, PASSWORD, waitUntil } from './console';

/**
 * A process designer in Chromium, through the console only: copies the published rules into a draft, edits the
 * ladder in the generated form, sees the API's two validation errors on their two fields, fixes them and sees the
 * drawing of the ladder change (the published one beside it does not), reads the diff, runs a what-if over recorded
 * cases to its report, publishes the draft with a reason, previews and migrates the open cases. Screenshots of the
 * editor and the what-if report in both languages (docs/console.md, "Designers").
 */
describe('console: a designer edits, tries out, publishes and migrates a process definition', () => {
  let browser: Browser;
  let page: Page;
  const cases: string[] = [];

  /** Text that looks like an untranslated designer key (`designer.whatIf.run`). */
  const untranslated = async (target: Page) =>
    (await target.locator('body').innerText()).match(/\bdesigner\.[a-zA-Z][\w.-]*/g) ?? [];

  async function token(username: string): Promise<string> {
    const answer = await fetch(`${baseUrl()}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    return ((await answer.json()) as { accessToken: string }).accessToken;
  }
  const call = (method: string, path: string, bearer: string, body?: unknown) =>
    fetch(`${baseUrl()}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  /**
   * Recorded cases for the what-if and the migration, filed by the operator through the API; 湖滨街道 signs the
   * noise case and contacts its citizen at once (a response on time under beijing@1).
   */
  async function fileCases(): Promise<void> {
    const operator = await token('operator');
    const categories = ['noise-nuisance', 'garbage-sorting', 'illegal-construction'];
    for (const [index, category] of categories.entries()) {
      const answer = await call('POST', '/api/v1/cases', operator, {
        kind: 'complaint',
        category,
        channel: 'hotline',
        description: `设计人浏览器测试的工单 ${index + 1}：${category}`,
        place: { districtId: 'd-donghu', streetId: 's-hubin', communityId: 'c-xiyuan' },
        citizen: { name: `测试${index + 1}`, phone: `1390000${String(Date.now() % 1000).padStart(3, '0')}${index}` },
      });
      expect([200, 201, 202]).toContain(answer.status);
      cases.push(((await answer.json()) as { caseNo: string }).caseNo);
    }
    const handler = await token('handler.s-hubin');
    // Signed more than a second after dispatch, so that the draft's one-second sign limit makes it late (on a quiet
    // machine the sign can otherwise land within the second).
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await waitUntil(async () => (await call('POST', `/api/v1/cases/${cases[0]}/sign`, handler)).status === 200);
    await waitUntil(
      async () =>
        (await call('POST', `/api/v1/cases/${cases[0]}/contact`, handler, { note: '已电话联系市民' })).status === 200,
    );
  }

  const field = (path: string) => page.locator(`[data-path="${path}"]`);
  const STREET = '/lifecycle/ladder/rungs/1/deadline';
  const DISTRICT = '/lifecycle/ladder/rungs/2/deadline';

  beforeAll(async () => {
    browser = await launchChromium();
    await fileCases();
  });
  afterAll(async () => {
    await browser?.close();
    await restoreSeedRules();
  });

  /**
   * The walk publishes a city version with a one-second sign limit into the product the other browser walks share:
   * publish the seed's `beijing@1` document again (a new version, same rules) so that cases filed after this walk
   * are pinned to the seed's rules again, whichever order the walks run in.
   */
  async function restoreSeedRules(): Promise<void> {
    const designer = await token('designer');
    const seed = (await (await call('GET', '/api/v1/rules/versions/beijing@1', designer)).json()) as {
      document: Record<string, unknown>;
    };
    const draft = await call('POST', '/api/v1/rules/drafts', designer, { document: seed.document });
    expect(draft.status).toBe(201);
    const { id } = (await draft.json()) as { id: string };
    const published = await call('POST', `/api/v1/rules/drafts/${id}/publish`, designer, {
      reason: '浏览器测试结束：恢复种子数据的规则',
      scope: { cityId: 'city-demo' },
    });
    expect(published.status).toBe(201);
  }

  it('should list the versions by scope and make a draft of the published one', async () => {
    page = await openConsole(browser, 'zh-CN');
    await login(page, 'designer');
    await page.getByRole('link', { name: '流程规则' }).click();
    await page.waitForURL(/\/rules$/);
    const published = page.locator('tr', { hasText: 'beijing@1' });
    await published.waitFor();
    expect(await published.innerText()).toContain('已发布');
    await choose(page, page.locator('#draft-source'), 'beijing@1');
    await page.getByTestId('create-draft').click();
    await page.waitForURL(/\/rules\/drafts\/[0-9a-f-]{36}$/);
    await page.getByTestId('validation-ok').waitFor();
  });

  it('should show the two errors of an edit on their fields, and redraw the ladder once they are fixed', async () => {
    await page.getByTestId('stage-ladder').click();
    await page.locator('#rule_lifecycle_ladder_rungs_1_deadline').fill('五个工作日');
    await page.locator('#rule_lifecycle_ladder_rungs_2_deadline').fill('7 days');
    // The API validates a moment after the last change: both errors at once, each on its own field.
    await field(STREET).locator('.ant-form-item-explain-error').first().waitFor();
    await field(DISTRICT).locator('.ant-form-item-explain-error').first().waitFor();
    expect(await page.getByTestId('validation-errors').innerText()).toContain(STREET);
    expect(await page.getByTestId('validation-errors').innerText()).toContain(DISTRICT);
    expect(await field('/lifecycle/ladder/rungs/0/deadline').locator('.ant-form-item-explain-error').count()).toBe(0);

    await page.locator('#rule_lifecycle_ladder_rungs_1_deadline').fill('2WD');
    await page.locator('#rule_lifecycle_ladder_rungs_2_deadline').fill('7WD');
    await page.getByTestId('validation-ok').waitFor();
    await waitUntil(async () => (await field(STREET).locator('.ant-form-item-explain-error').count()) === 0);
    // The draft's drawing follows the edit; the published version beside it keeps its 5 working days.
    const draftStreet = page.getByTestId('draft-diagram').getByTestId('rung-deadline-street');
    expect(await draftStreet.textContent()).toContain('2WD');
    const publishedStreet = page.getByTestId('published-diagram').getByTestId('rung-deadline-street');
    expect(await publishedStreet.textContent()).toContain('5WD');

    // And a limit of the catalogue the recorded cases were dispatched under: noise cases signed within a second.
    await page.getByTestId('stage-routing').click();
    const noise = page.locator('.ant-collapse-item', { hasText: '(noise-nuisance)' }).first();
    await noise.locator('.ant-collapse-header').first().click();
    await noise.locator('input[id$="_deadlines_normal_sign"]').fill('PT1S');
    await page.getByTestId('validation-ok').waitFor();
    await page.getByTestId('stage-ladder').click();

    await page.getByTestId('save-draft').click();
    await waitUntil(async () => await page.getByTestId('save-draft').isDisabled());
    expect(await untranslated(page)).toEqual([]);
    await checkAndShoot(page, 'designer-editor', 'zh-CN');
  });

  it('should show the change side by side against the published version', async () => {
    await page.getByRole('tab', { name: '差异' }).click();
    const row = page.getByTestId('diff-table').locator('tr', { hasText: 'lifecycle.ladder.rungs[street].deadline' });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/5WD[\s\S]*2WD/);
  });

  it('should run a what-if over the recorded cases to its report', async () => {
    await page.getByRole('tab', { name: '模拟推演' }).click();
    await page.getByTestId('run-what-if').click();
    await page.getByTestId('what-if-progress').waitFor();
    await page.getByTestId('what-if-report').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('what-if-status').innerText()).toMatch(/已完成 · (\d+)\/\1/);
    expect(await page.getByTestId('what-if-progress').getAttribute('aria-valuenow')).toBe('100');
    const figures = page.getByTestId('what-if-report').locator('.ant-statistic-content');
    const figure = async (index: number) => Number((await figures.nth(index).innerText()).replace(/\D/g, ''));
    expect(await figure(0)).toBeGreaterThanOrEqual(cases.length);
    // The noise case: its sign deadline moves, its response turns late, and 湖滨街道's score with it (the chart).
    expect(await figure(3)).toBeGreaterThanOrEqual(1);
    const noise = await page.getByTestId('what-if-report').locator('tr', { hasText: cases[0] }).innerText();
    expect(noise).toContain('PT1S');
    expect(noise).toContain('按时 → 超时');
    await page.getByTestId('score-bar-s-hubin').first().waitFor();
    expect(await untranslated(page)).toEqual([]);
    await checkAndShoot(page, 'designer-what-if', 'zh-CN');
  });

  it('should show the what-if report and the editor in English', async () => {
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('tab', { name: 'What-if' }).waitFor();
    expect(await page.getByTestId('what-if-status').innerText()).toContain('Done');
    expect(await untranslated(page)).toEqual([]);
    await checkAndShoot(page, 'designer-what-if', 'en');
    await page.getByRole('tab', { name: 'Edit' }).click();
    expect(await page.getByTestId('draft-diagram').getByTestId('rung-deadline-street').textContent()).toContain('2WD');
    expect(await untranslated(page)).toEqual([]);
    await checkAndShoot(page, 'designer-editor', 'en');
    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('tab', { name: '编辑' }).waitFor();
  });

  it('should publish the draft with a reason, preview the open cases and migrate them', async () => {
    await page.getByRole('tab', { name: '发布与迁移' }).click();
    await page.locator('#publish-reason').fill('街道协调委员会时限由5个工作日缩短为2个工作日（浏览器测试）');
    await page.getByTestId('publish').click();
    const published = page.getByTestId('published');
    await published.waitFor();
    expect(await published.innerText()).toContain('beijing@2');

    await page.getByTestId('migration-preview').click();
    const matched = page.getByTestId('migration-matched');
    await matched.waitFor();
    const count = Number(/(\d+)/.exec(await matched.innerText())?.[1]);
    expect(count).toBeGreaterThanOrEqual(cases.length);
    for (const caseNo of cases) expect(await matched.innerText()).toContain(caseNo);

    await page.locator('#migrate-reason').fill('新时限自发布之日起适用于在办工单（浏览器测试）');
    await page.getByTestId('migrate').click();
    const report = page.getByTestId('migration-report');
    await report.waitFor({ timeout: 60_000 });
    const moved = Number(await page.getByTestId('migration-moved').innerText());
    const skipped = await report.locator('.ant-table-row').count();
    expect(moved + skipped).toBe(count);
    expect(moved).toBeGreaterThanOrEqual(1);
  });

  it('should show the working-day calendar with a live deadline answer', async () => {
    await page.getByRole('link', { name: '工作日历' }).click();
    await page.waitForURL(/\/calendar$/);
    await page.getByTestId('deadline-answer').waitFor();
    expect(await page.locator('[data-kind="holiday"]').count()).toBeGreaterThan(0);
    const before = await page.getByTestId('deadline-answer').innerText();
    await page.locator('#deadline-duration').fill('10WD');
    await waitUntil(async () => (await page.getByTestId('deadline-answer').innerText()) !== before);
    await checkAndShoot(page, 'designer-calendar', 'zh-CN');
  });
});
