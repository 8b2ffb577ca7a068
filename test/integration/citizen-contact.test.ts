import { Logger } from '@nestjs/common';
import { bearer, handlerOf } from '../support/auth';
import { noiseComplaintBody } from '../support/case-fixtures';
import { eventually, startTestStack, TestStack } from '../support/test-stack';

/**
 * The lead unit must contact the citizen (DESIGN.md §3 step 4): its handlers see the citizen's unmasked contact
 * details while the case is theirs and handled, each access logged as the operator's call-back access is; before
 * signing, after replying, and for every other unit the details stay masked.
 */
describe('citizen contact details for the lead unit', () => {
  let stack: TestStack;
  const logged = jest.spyOn(Logger.prototype, 'log');

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-citizen-contact',
      users: {
        operator: 'operator',
        lead: handlerOf('s-hubin'),
        // Reads the case (the place's community) but does not lead it.
        community: handlerOf('c-xiyuan'),
        // Has nothing to do with the case.
        foreign: handlerOf('dept-housing'),
      },
    });
  });

  afterAll(async () => {
    logged.mockRestore();
    await stack?.stop();
  });

  const contactOf = (who: string, caseNo: string) =>
    stack.http().get(`/api/v1/cases/${caseNo}/citizen-contact`).set(bearer(stack.tokens[who]));
  const act = (who: string, caseNo: string, path: string, body: object = {}) =>
    stack.http().post(`/api/v1/cases/${caseNo}/${path}`).set(bearer(stack.tokens[who])).send(body).expect(200);
  const phaseOf = async (caseNo: string) =>
    (await stack.pg.query(`SELECT phase FROM cases WHERE case_no = $1`, [caseNo])).rows[0]?.phase as string;
  const accessLines = (caseNo: string) =>
    logged.mock.calls.map(([message]) => String(message)).filter((message) => message.includes(caseNo));

  it('should show the lead handler the full phone while the case is handled, logged, and masked otherwise', async () => {
    const phone = '13912345678';
    const created = await stack
      .http()
      .post('/api/v1/cases')
      .send(noiseComplaintBody({ citizen: { name: '王先生', phone } }))
      .expect(201);
    const caseNo: string = created.body.caseNo;
    await eventually(async () => expect(await phaseOf(caseNo)).toBe('awaiting-sign'));

    // Not yet signed for: the lead unit sees only the masked phone.
    const early = await contactOf('lead', caseNo).expect(409);
    expect(early.body.message).toMatch(/^WrongState: .*awaiting-sign/);
    const masked = await stack.http().get(`/api/v1/cases/${caseNo}`).set(bearer(stack.tokens.lead)).expect(200);
    expect(JSON.stringify(masked.body)).not.toContain(phone);
    expect(JSON.stringify(masked.body)).toContain('139****5678');

    await act('lead', caseNo, 'sign');
    await eventually(async () => expect(await phaseOf(caseNo)).toBe('handling'));
    logged.mockClear();
    const shown = await contactOf('lead', caseNo).expect(200);
    expect(shown.body).toEqual({ name: '王先生', phone });
    // Logged like the call-back access: who, which case, why — never the details themselves.
    expect(accessLines(caseNo)).toEqual([
      expect.stringMatching(new RegExp(`citizen contact of case ${caseNo} shown to .+ \\(s-hubin\\) for contact`)),
    ]);
    expect(logged.mock.calls.some(([message]) => String(message).includes(phone))).toBe(false);

    // Other units: one that reads the case is refused, one that does not see it gets the unknown-case answer; the
    // operator's access stays the call-back's. None of them is logged as an access.
    logged.mockClear();
    const community = await contactOf('community', caseNo).expect(403);
    expect(community.body.message).toMatch(/^WrongUnit: /);
    await contactOf('foreign', caseNo).expect(404);
    await contactOf('operator', caseNo).expect(409);
    expect(accessLines(caseNo)).toEqual([]);

    // Contacted and still handled: still shown; once replied (in review), masked again.
    await act('lead', caseNo, 'contact', { note: '已电话联系市民' });
    await contactOf('lead', caseNo).expect(200);
    await act('lead', caseNo, 'reply', { result: 'solved', summary: '已处理' });
    await eventually(async () => expect(await phaseOf(caseNo)).toBe('in-review'));
    const late = await contactOf('lead', caseNo).expect(409);
    expect(late.body.message).toMatch(/^WrongState: .*in-review/);
  });
});
