import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { ApiError } from '../common/api-error';
import { citizenContactAccess } from './citizen-contact';

const operator: Actor = { userId: 'u-op', role: 'operator', unitId: 'centre-12345' };
const lead: Actor = { userId: 'u-street', role: 'handler', unitId: 's-hubin', unitKind: 'street' };
const coUnit: Actor = { userId: 'u-dept', role: 'handler', unitId: 'dept-housing', unitKind: 'department' };
const coordinator: Actor = { userId: 'u-cc', role: 'coordinator', unitId: 'cc-s-hubin' };
const caseIn = (phase: string | null) => ({ phase, stage: phase ?? 'awaiting-dispatch', leadUnitId: 's-hubin' });

/** What the access answers: its purpose, or the HTTP status and refusal code of its error. */
function answer(actor: Actor, phase: string | null): string {
  try {
    return citizenContactAccess('20261123000001', caseIn(phase), actor);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return `${error.status} ${error.message.split(':')[0]}`;
  }
}

describe('who sees the citizen contact details unmasked, and when', () => {
  it.each([
    [operator, 'awaiting-callback', 'call-back'],
    [operator, 'handling', '409 WrongState'],
    [operator, 'closed', '409 WrongState'],
    [lead, 'handling', 'contact and handling'],
    [lead, 'awaiting-sign', '409 WrongState'],
    [lead, 'in-review', '409 WrongState'],
    [lead, 'awaiting-callback', '409 WrongState'],
    [lead, 'closed', '409 WrongState'],
    [lead, null, '409 WrongState'],
    [coUnit, 'handling', '403 WrongUnit'],
    [coordinator, 'handling', '403 WrongUnit'],
  ])('should answer %j in phase %s with %s', (actor, phase, expected) => {
    expect(answer(actor, phase)).toBe(expected);
  });

  it('should show an operator a closed case only while its audit call-back is pending', () => {
    expect(citizenContactAccess('20261123000001', caseIn('closed'), operator, true)).toBe('audit call-back');
    expect(() => citizenContactAccess('20261123000001', caseIn('handling'), operator, true)).toThrow(/WrongState/);
    expect(() => citizenContactAccess('20261123000001', caseIn('closed'), lead, true)).toThrow(/WrongState/);
  });
});
