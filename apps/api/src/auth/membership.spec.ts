import { DEMO_CITY } from '../../../../libs/domain/src/org/demo-city';
import { actorOf, membershipProblem } from './membership';
import { DEMO_USERS } from './demo-users';

describe('membership', () => {
  it('should accept every seeded demo user at its unit', () => {
    expect(DEMO_USERS.map((user) => [user.username, membershipProblem(DEMO_CITY, user.role, user.unitId)])).toEqual(
      DEMO_USERS.map((user) => [user.username, undefined]),
    );
  });

  it('should seed the accounts the issue asks for, with unique usernames', () => {
    const byRole = (role: string) => DEMO_USERS.filter((user) => user.role === role).map((user) => user.unitId);
    expect(byRole('operator')).toEqual(['centre-12345']);
    expect(byRole('handler')).toEqual([
      's-hubin',
      'c-xiyuan',
      'd-donghu',
      'dept-urban-management',
      'dept-housing',
      'dept-market-regulation',
      'dept-ecology',
      'g-xiyuan-1',
      'o-liuhe-governance',
      'vg-liuhe-mediation',
    ]);
    expect(byRole('coordinator')).toEqual(['cc-c-xiyuan', 'cc-s-hubin', 'cc-d-donghu']);
    for (const role of ['designer', 'auditor', 'admin']) expect(byRole(role)).toHaveLength(1);
    expect(new Set(DEMO_USERS.map((user) => user.username)).size).toBe(DEMO_USERS.length);
  });

  it.each([
    ['operator', 's-hubin', /operator belongs to a unit of kind service-centre, not street/],
    ['coordinator', 's-hubin', /coordinator belongs to a unit of kind committee/],
    ['handler', 'cc-s-hubin', /handler belongs to a unit of kind .*not committee/],
    ['handler', 'nowhere', /unit nowhere is not in the org tree/],
    ['auditor', 'nowhere', /unit nowhere is not in the org tree/],
  ] as const)('should refuse a %s at %s', (role, unitId, message) => {
    expect(membershipProblem(DEMO_CITY, role, unitId)).toMatch(message);
  });

  it.each([
    ['a grid worker', 'g-xiyuan-1'],
    ["a village's governance centre", 'o-liuhe-governance'],
    ["a village's volunteer mediation group", 'vg-liuhe-mediation'],
  ])('should accept a handler at %s', (_title, unitId) => {
    expect(membershipProblem(DEMO_CITY, 'handler', unitId)).toBeUndefined();
  });

  it('should give the actor the kind of its unit', () => {
    expect(actorOf(DEMO_CITY, 'u', 'handler', 'c-xiyuan')).toEqual({
      userId: 'u',
      role: 'handler',
      unitId: 'c-xiyuan',
      unitKind: 'community',
    });
    expect(actorOf(DEMO_CITY, 'u', 'handler', 'gone')).toEqual({ userId: 'u', role: 'handler', unitId: 'gone' });
  });
});
