import { compareCase, ProjectedCase, VisibleCase } from './consistency';

const row: ProjectedCase = {
  caseNo: '20261123000001',
  workflowId: 'case-20261123000001',
  status: 'open',
  stage: 'handling',
  escalationLevel: 'community',
  overdue: true,
  responsibleUnitId: 'cc-c-xiyuan',
  rulesVersion: 'beijing@1',
  category: 'noise-nuisance',
  streetId: 's-hubin',
  districtId: 'd-donghu',
};

const visible: VisibleCase = {
  workflowId: 'case-20261123000001',
  executionStatus: 'RUNNING',
  attributes: {
    CaseStatus: 'open',
    CaseStage: 'handling',
    EscalationLevel: 1,
    Overdue: true,
    ResponsibleUnit: 'cc-c-xiyuan',
    RulesVersion: 'beijing@1',
    CaseCategory: 'noise-nuisance',
    CaseStreet: 's-hubin',
    CaseDistrict: 'd-donghu',
  },
};

describe('comparing a projection row with visibility', () => {
  it('should find nothing when they agree', () => {
    expect(compareCase(row, visible)).toEqual([]);
  });

  it.each<[string, Partial<ProjectedCase>, Record<string, unknown>]>([
    [
      'status',
      { status: 'closed' },
      { field: 'status', attribute: 'CaseStatus', projection: 'closed', visibility: 'open' },
    ],
    [
      'escalation level by its index',
      { escalationLevel: 'street' },
      { field: 'escalationLevel', projection: 'street', visibility: 'community' },
    ],
    ['overdue', { overdue: false }, { field: 'overdue', projection: false, visibility: true }],
    [
      'responsible unit',
      { responsibleUnitId: null },
      { field: 'responsibleUnitId', projection: null, visibility: 'cc-c-xiyuan' },
    ],
    [
      'rules version',
      { rulesVersion: 'beijing@2' },
      { field: 'rulesVersion', projection: 'beijing@2', visibility: 'beijing@1' },
    ],
  ])('should report a different %s', (_name, change, drift) => {
    expect(compareCase({ ...row, ...change }, visible)).toEqual([expect.objectContaining(drift)]);
  });

  it('should report an open row whose workflow has finished', () => {
    expect(compareCase(row, { ...visible, executionStatus: 'TERMINATED' })).toEqual([
      { field: 'execution', projection: 'open', visibility: 'TERMINATED' },
    ]);
  });

  it('should not compare lifecycle attributes a case not yet dispatched does not have', () => {
    const intake = {
      CaseStatus: 'open',
      CaseStage: 'handling',
      RulesVersion: 'beijing@1',
      CaseCategory: 'noise-nuisance',
      CaseStreet: 's-hubin',
      CaseDistrict: 'd-donghu',
    };
    expect(compareCase(row, { ...visible, attributes: intake })).toEqual([]);
  });

  it('should count an absent keyword attribute as null', () => {
    const { CaseStreet: _street, ...attributes } = visible.attributes;
    expect(compareCase(row, { ...visible, attributes })).toEqual([
      { field: 'streetId', attribute: 'CaseStreet', projection: 's-hubin', visibility: null },
    ]);
  });
});
