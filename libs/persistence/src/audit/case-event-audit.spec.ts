import type { LifecycleEvent } from '../../../domain/src/lifecycle/lifecycle.types';
import { SYSTEM_ACTOR } from './audit.types';
import { auditEntriesOfCaseEvents } from './case-event-audit';

const at = '2026-11-23T02:00:00.000Z';
const street = { userId: 'u-hubin-1', role: 'handler' as const, unitId: 's-hubin', unitKind: 'street' as const };

function one(event: Omit<LifecycleEvent, 'at'>, stream = 'case') {
  return auditEntriesOfCaseEvents({ caseNo: '20261123000001', stream, firstSeq: 7, events: [{ at, ...event }] })[0];
}

describe('audit entries of domain events', () => {
  it("should name a person's event by user, role and unit (never the unit kind) with its Update id", () => {
    expect(one({ type: 'signed', actor: street, detail: {}, updateId: 'up-1' })).toEqual({
      at,
      actor: { userId: 'u-hubin-1', role: 'handler', unitId: 's-hubin' },
      action: 'signed',
      subject: { kind: 'case', id: '20261123000001' },
      caseNo: '20261123000001',
      after: { phase: 'handling' },
      source: 'case-event',
      eventRef: '20261123000001/case/7',
      updateId: 'up-1',
    });
  });

  it('should name the engine as system for events without an actor', () => {
    const entry = one({ type: 'overdue', detail: { kind: 'handle', due: at, unitId: 's-hubin' } });
    expect(entry.actor).toEqual(SYSTEM_ACTOR);
    expect(entry.after).toEqual({ overdue: true, deadline: 'handle', due: at, unitId: 's-hubin' });
    expect(entry).not.toHaveProperty('updateId');
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown> | undefined, string | undefined]>([
    [
      'escalated',
      { level: 'community', unitId: 'cc-c-xiyuan', reason: '需社区协调' },
      { escalationLevel: 'community', responsibleUnitId: 'cc-c-xiyuan' },
      '需社区协调',
    ],
    [
      'escalated',
      { level: 'city', reason: '久拖不决', supervision: 'posted' },
      { escalationLevel: 'city', responsibleUnitId: null, supervision: 'posted' },
      '久拖不决',
    ],
    [
      'returned',
      { reason: '非本辖区', unitId: 's-hubin' },
      { phase: 'awaiting-dispatch', returnedBy: 's-hubin' },
      '非本辖区',
    ],
    [
      'coordinated',
      { level: 'street', instruction: '城管牵头', reassignedFrom: 's-hubin', reassignedTo: 'dept-urban-management' },
      { phase: 'awaiting-sign', leadUnitId: 'dept-urban-management', committeeLevel: 'street' },
      '城管牵头',
    ],
    [
      'whistled',
      { round: 1, departmentIds: ['dept-housing'], grade: 'blue', reason: '联合执法' },
      { whistleRound: 1, departmentIds: ['dept-housing'], grade: 'blue' },
      '联合执法',
    ],
    ['contacted', { note: '已电话联系' }, { contacted: true }, '已电话联系'],
    ['extension-requested', { workingDays: 3, reason: '等待整改' }, { extensionPending: 3 }, '等待整改'],
    [
      'closed',
      { outcome: 'satisfied', flagged: false },
      { phase: 'closed', outcome: 'satisfied', flagged: false },
      undefined,
    ],
    [
      'accountability-escalated',
      { to: 'discipline-office', unitId: 's-hubin', accountabilityUnitId: 'o-discipline-office' },
      { phase: 'accountability', accountability: 'discipline-office', responsibleUnitId: 'o-discipline-office' },
      undefined,
    ],
    [
      'accountability-decided',
      { responsible: true, decision: '责任成立', unitId: 's-hubin', accountabilityUnitId: 'o-discipline-office' },
      { responsible: true },
      '责任成立',
    ],
    [
      'audit-called-back',
      { solved: false, satisfaction: 'dissatisfied', reportedResult: 'solved', contradicts: true, note: '仍未解决' },
      { auditSolved: false, auditSatisfaction: 'dissatisfied', contradicts: true },
      '仍未解决',
    ],
    ['some-future-event', { reason: 'why', extra: 1 }, { extra: 1 }, 'why'],
  ])('should record %s with its change and reason', (type, detail, after, reason) => {
    const entry = one({ type, actor: street, detail });
    expect(entry.after).toEqual(after);
    expect(entry.reason).toBe(reason);
  });

  it("should put a whistle round's events under the round, keeping the detail and taking a note as the reason", () => {
    const entry = one(
      {
        type: 'reported',
        actor: { ...street, unitId: 'dept-housing' },
        detail: { departmentId: 'dept-housing', note: '已到场' },
      },
      'whistle-2',
    );
    expect(entry).toMatchObject({
      action: 'whistle-round.reported',
      subject: { kind: 'whistle-round', id: '20261123000001/2' },
      caseNo: '20261123000001',
      after: { departmentId: 'dept-housing' },
      reason: '已到场',
      eventRef: '20261123000001/whistle-2/7',
    });
  });

  it('should number the references of a batch from its first sequence number', () => {
    const entries = auditEntriesOfCaseEvents({
      caseNo: '20261123000001',
      stream: 'case',
      firstSeq: 3,
      events: [
        { type: 'deadline-set', at, detail: { kind: 'sign' } },
        { type: 'deadline-set', at, detail: { kind: 'handle' } },
      ],
    });
    expect(entries.map((entry) => entry.eventRef)).toEqual(['20261123000001/case/3', '20261123000001/case/4']);
  });
});
