import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, checkAndShoot, launchChromium, login, openConsole, PASSWORD, waitUntil } from './console';

/**
 * The oversight pages in Chromium: an auditor finds a case by unit, reads its story (who, what, when, why, versions,
 * Temporal events), verifies its audit chain and the whole log, runs the consistency check and exports the lifecycle
 * CSV; a leader of the service centre opens the month's ranking, drills down from a figure to the case behind it, and
 * reads the hotspot map. Screenshots of each page in Chinese, and of the ranking and the map in English too
 * (docs/console.md "Auditors", "Leaders").
 */
describe('console: auditors and leaders in the browser', () => {
  let browser: Browser;
  let caseNo = '';
  /** The current month in Asia/Shanghai, which the new case's dispatch puts it in. */
  const month = (() => {
    const shifted = new Date(Date.now() + 8 * 3600_000);
    return `${shifted.getUTCFullYear()}-${String(shifted.getUTCMonth() + 1).padStart(2, '0')}`;
  })();

  async function token(username: string): Promise<string> {
    const response = await fetch(`${baseUrl()}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { accessToken: string }).accessToken;
  }

  async function call(method: string, path: string, bearer: string, body?: unknown): Promise<Response> {
    return fetch(`${baseUrl()}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  }

  /** No i18n key of the oversight pages left untranslated (console.ts checks the other namespaces). */
  async function translated(page: Page): Promise<void> {
    expect((await page.locator('body').innerText()).match(/\boversight\.[a-zA-Z][\w.-]*/g) ?? []).toEqual([]);
  }

  async function as(username: string, language: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
    const page = await openConsole(browser, language);
    await login(page, username);
    return page;
  }

  beforeAll(async () => {
    browser = await launchChromium();
    // A case of 湖滨街道 and a few in other streets and categories, dispatched; then this month's scores (the seed
    // has no run), so the ranking has rows and the map more than one colour.
    const operator = await token('operator');
    const submit = async (category: string, place: Record<string, string>, description: string) => {
      const created = await call('POST', '/api/v1/cases', operator, {
        kind: 'complaint',
        category,
        channel: 'hotline',
        description,
        address: `示范市 ${place.communityId} 路 ${Math.floor(Math.random() * 900) + 100} 号`,
        citizen: { name: '赵女士', phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` },
        place,
      });
      // Submitted four at once: each is stored (a case number) and started at once (201) or from the queue (202);
      // the walk waits below until every one is dispatched.
      expect([201, 202]).toContain(created.status);
      return ((await created.json()) as { caseNo: string }).caseNo;
    };
    const hubin = { communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' };
    caseNo = await submit('noise-nuisance', hubin, '夜间施工噪声扰民（督查浏览器测试）');
    const others = await Promise.all([
      submit('noise-nuisance', { ...hubin, communityId: 'c-liuyin' }, '广场舞音响过响'),
      submit('noise-nuisance', { communityId: 'c-wenhua', streetId: 's-wenchang', districtId: 'd-donghu' }, '酒吧噪声'),
      submit('restaurant-fumes', { communityId: 'c-shuyuan', streetId: 's-wenchang', districtId: 'd-donghu' }, '油烟'),
      submit('noise-nuisance', { communityId: 'c-songtao', streetId: 's-yinxing', districtId: 'd-xishan' }, '装修噪声'),
    ]);
    const auditor = await token('auditor');
    await waitUntil(async () => {
      const found = await call('GET', `/api/v1/audit/cases?status=open&limit=500`, auditor);
      const page = (await found.json()) as { items: { caseNo: string; leadUnitId: string | null }[] };
      const dispatched = new Set(page.items.filter((item) => item.leadUnitId).map((item) => item.caseNo));
      return [caseNo, ...others].every((no) => dispatched.has(no));
    });
    // 湖滨街道 signs and contacts the citizen: a response on time, a person's actions in the story.
    const handler = await token('handler.s-hubin');
    expect((await call('POST', `/api/v1/cases/${caseNo}/sign`, handler)).status).toBe(200);
    await waitUntil(async () => {
      const contact = await call('POST', `/api/v1/cases/${caseNo}/contact`, handler, { note: '已电话联系市民' });
      return contact.status === 200;
    });
    const admin = await token('admin');
    const run = await call('POST', '/api/v1/scores/runs', admin, { month });
    expect([201, 202]).toContain(run.status);
    await waitUntil(async () => (await call('GET', `/api/v1/scores/${month}`, admin)).status === 200);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('should let an auditor find the case, export the CSV, read its story and verify the log', async () => {
    const page = await as('auditor');
    await page.goto(`${baseUrl()}/oversight/cases?unitId=s-hubin&status=open`);
    const link = page.locator(`a[data-case="${caseNo}"]`);
    await link.waitFor();
    await translated(page);
    await checkAndShoot(page, 'audit-search', 'zh-CN');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).toBe('cases-lifecycle.csv');
    const csv = readFileSync((await download.path())!, 'utf8').split('\r\n');
    expect(csv[0]).toMatch(/^case_no,kind,category,/);
    const line = csv.find((entry) => entry.startsWith(`${caseNo},`));
    expect(line).toContain(',noise-nuisance,');
    expect(line).toContain(',s-hubin,');
    // Filtered as the page is: every line is a case of 湖滨街道 still open.
    expect(
      csv.filter((entry) => entry && !entry.startsWith('case_no')).every((entry) => entry.includes(',open,')),
    ).toBe(true);

    await link.click();
    await page.waitForURL(new RegExp(`/oversight/cases/${caseNo}$`));
    const story = page.getByTestId('story');
    await story.locator('li').first().waitFor();
    // The dispatch and the handler's signature are in the story, tied to Temporal events, under the case's rules.
    await expect(story.innerText()).resolves.toContain('派单');
    await expect(story.innerText()).resolves.toContain('签收');
    await page.getByTestId('temporal-link').first().waitFor();
    expect(await page.getByTestId('temporal-link').first().getAttribute('href')).toMatch(
      new RegExp(`/namespaces/[^/]+/workflows/case-${caseNo}/history#event-\\d+$`),
    );
    const rules = page.getByTestId('rules-version');
    await waitUntil(async () => (await rules.innerText()) !== '—', 10_000);
    await expect(rules.innerText()).resolves.toMatch(/^[\w.:-]+@\d+/);
    await page.getByTestId('verify-case').click();
    await expect(page.getByTestId('verify-result').innerText()).resolves.toContain('审计日志完整');
    await translated(page);
    await checkAndShoot(page, 'audit-story', 'zh-CN');

    await page.goto(`${baseUrl()}/oversight/integrity`);
    await page.getByTestId('verify-log').click();
    await expect(page.getByTestId('verify-result').innerText()).resolves.toMatch(/审计日志完整：已校验 \d+ 条/);
    await page.getByTestId('check-consistency').click();
    await page.getByTestId('consistency-report').waitFor();
    await translated(page);
    await checkAndShoot(page, 'audit-integrity', 'zh-CN');
  });

  it("should let a leader open the month's ranking, drill down from a figure to the case, and read the hotspot map", async () => {
    const page = await as('admin');
    await page.goto(`${baseUrl()}/oversight/scores?month=${month}`);
    const ranking = page.getByTestId('ranking');
    const hubin = ranking.locator('tr', { hasText: '湖滨街道' });
    await hubin.waitFor();
    await page.getByTestId('trend-chart').waitFor();
    await translated(page);
    await checkAndShoot(page, 'scores-ranking', 'zh-CN');

    // The response rate's cases (the figure route): the case signed and contacted on time is among those met.
    await page.locator('[data-drill="s-hubin:response"]').click();
    const drill = page.getByTestId('drill-down');
    // (Other walks share the product and file cases in 湖滨 too: the figure's count is theirs as well as this one's.)
    await drill.locator(`a[data-case="${caseNo}"]`).first().click();
    await page.waitForURL(new RegExp(`/oversight/cases/${caseNo}$`));
    await page.getByTestId('story').locator('li').first().waitFor();

    await page.goto(`${baseUrl()}/oversight/hotspots?month=${month}`);
    const street = page.locator('[data-testid="city-map"] [data-street="s-hubin"]');
    await street.waitFor();
    await waitUntil(async () => Number(await street.getAttribute('data-cases')) >= 1, 10_000);
    await street.click();
    await page.locator(`a[data-case="${caseNo}"]`).first().waitFor();
    await translated(page);
    await checkAndShoot(page, 'hotspot-map', 'zh-CN');
  });

  it("should show the leaders' pages in English", async () => {
    const leader = await as('admin', 'en');
    await leader.goto(`${baseUrl()}/oversight/scores?month=${month}`);
    await leader.getByTestId('ranking').locator('tr', { hasText: '湖滨街道' }).waitFor();
    await expect(leader.locator('h2').innerText()).resolves.toContain('Monthly rankings');
    await translated(leader);
    await checkAndShoot(leader, 'scores-ranking', 'en');
    await leader.goto(`${baseUrl()}/oversight/hotspots?month=${month}`);
    await leader.locator('[data-testid="city-map"] [data-street="s-hubin"]').waitFor();
    await translated(leader);
    await checkAndShoot(leader, 'hotspot-map', 'en');
  });
});
