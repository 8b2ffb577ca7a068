import { buildOrgTree } from '../../../../libs/domain/src/org/org-tree';
import type { OrgUnit } from '../../../../libs/domain/src/org/org.types';
import { commandDistrictOf, commandScopeProblem } from './command-scope';

const UNITS: OrgUnit[] = [
  { id: 'city-n', kind: 'city', name: '某市', parentId: null },
  { id: 'centre-n', kind: 'service-centre', name: '市12345', parentId: 'city-n' },
  { id: 'd-a', kind: 'district', name: '甲区', parentId: 'city-n' },
  { id: 'centre-a', kind: 'service-centre', name: '甲区指挥中心', parentId: 'd-a' },
  { id: 'd-b', kind: 'district', name: '乙区', parentId: 'city-n' },
];
const tree = buildOrgTree(UNITS);

describe('commandDistrictOf', () => {
  it.each([
    ['an operator of a district command centre', 'operator', 'centre-a', 'd-a'],
    ["an operator of the city's service centre", 'operator', 'centre-n', undefined],
    ['a handler of a district', 'handler', 'd-a', undefined],
    ['an admin at a district command centre', 'admin', 'centre-a', undefined],
    ['an operator of a unit the tree no longer has', 'operator', 'centre-gone', undefined],
  ] as const)('should confine %s to %s', (_who, role, unitId, district) => {
    expect(commandDistrictOf(tree, { role, unitId })).toBe(district);
  });

  it('should confine nobody while no tree is stored', () => {
    expect(commandDistrictOf(undefined, { role: 'operator', unitId: 'centre-a' })).toBeUndefined();
  });
});

describe('commandScopeProblem', () => {
  const districtOperator = { role: 'operator', unitId: 'centre-a' } as const;

  it("should let a district command centre's operator handle the cases of their district", () => {
    expect(commandScopeProblem(tree, districtOperator, '1', 'd-a')).toBeUndefined();
  });

  it("should refuse them another district's case, and a case with no district, naming the rule", () => {
    expect(commandScopeProblem(tree, districtOperator, '2', 'd-b')).toBe(
      'WrongUnit: case 2 is in d-b; the operators of centre-a handle the cases of d-a only',
    );
    expect(commandScopeProblem(tree, districtOperator, '3', null)).toMatch(/^WrongUnit: case 3 is not in a district/);
  });

  it("should let the city centre's operator handle every case", () => {
    expect(commandScopeProblem(tree, { role: 'operator', unitId: 'centre-n' }, '4', 'd-b')).toBeUndefined();
    expect(commandScopeProblem(tree, { role: 'operator', unitId: 'centre-n' }, '5', null)).toBeUndefined();
  });
});
