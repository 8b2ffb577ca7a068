import type { UserRole } from './auth.decorators';

/** One seeded demo account: `<role>.<unit id>` for unit roles, the bare role for the city-wide ones. */
export interface DemoUser {
  username: string;
  displayName: string;
  role: UserRole;
  unitId: string;
}

/** Password of every demo user (README, "Authentication"); never seed demo users where this is not acceptable. */
export const DEMO_PASSWORD = 'shaosheng-demo';

const handler = (unitId: string, displayName: string): DemoUser => ({
  username: `handler.${unitId}`,
  displayName,
  role: 'handler',
  unitId,
});
const coordinator = (committeeId: string, displayName: string): DemoUser => ({
  username: `coordinator.${committeeId}`,
  displayName,
  role: 'coordinator',
  unitId: committeeId,
});

/**
 * The demo city's accounts, seeded at API start when demo users are enabled. Unit ids come from
 * `libs/domain/src/org/demo-city.ts`; a unit test checks that each exists and suits its role.
 */
export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'operator', displayName: '热线接线员（演示）', role: 'operator', unitId: 'centre-12345' },
  handler('s-hubin', '湖滨街道办理人（演示）'),
  handler('c-xiyuan', '西苑社区办理人（演示）'),
  handler('d-donghu', '东湖区办理人（演示）'),
  handler('dept-urban-management', '市城管执法局办理人（演示）'),
  handler('dept-housing', '市住建委办理人（演示）'),
  handler('dept-market-regulation', '市市场监管局办理人（演示）'),
  handler('dept-ecology', '市生态环境局办理人（演示）'),
  // A grid worker (patrol findings under `nanjing`), and a village's governance centre and volunteer mediation group
  // (the rural governance complex of `xiangdong`).
  handler('g-xiyuan-1', '西苑社区第一网格网格员（演示）'),
  handler('o-liuhe-governance', '柳河村综治中心办理人（演示）'),
  handler('vg-liuhe-mediation', '柳河村志愿调解队（演示）'),
  coordinator('cc-c-xiyuan', '西苑社区协调委员会协调人（演示）'),
  coordinator('cc-s-hubin', '湖滨街道协调委员会协调人（演示）'),
  coordinator('cc-d-donghu', '东湖区协调委员会协调人（演示）'),
  { username: 'designer', displayName: '流程设计人（演示）', role: 'designer', unitId: 'centre-12345' },
  { username: 'auditor', displayName: '督查员（演示）', role: 'auditor', unitId: 'city-demo' },
  { username: 'admin', displayName: '系统管理员（演示）', role: 'admin', unitId: 'centre-12345' },
];
