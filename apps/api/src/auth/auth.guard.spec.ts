import type { Principal, UserRole } from './auth.decorators';
import { Authenticator, decideAccess } from './auth.guard';

const principal = (role: UserRole): Principal => ({
  actor: { userId: 'u-1', role, unitId: 's-hubin', unitKind: 'street' },
  username: 'someone',
  displayName: 'Someone',
  kind: 'jwt',
  tokenId: 'jti-1',
  expiresAt: null,
});

/** Knows one token per role, `token-<role>`; everything else does not authenticate. */
const authenticator: Authenticator = {
  authenticate: async (credential) => {
    const match = /^token-(\w+)$/.exec(credential);
    return match ? principal(match[1] as UserRole) : undefined;
  },
};

describe('decideAccess', () => {
  it.each<[string, { isPublic: boolean; roles?: UserRole[]; authorization?: string }, string]>([
    ['a guarded endpoint without a token', { isPublic: false }, 'unauthenticated'],
    ['a guarded endpoint with an empty header', { isPublic: false, authorization: '' }, 'unauthenticated'],
    ['a guarded endpoint with a Basic header', { isPublic: false, authorization: 'Basic dTpw' }, 'unauthenticated'],
    ['a guarded endpoint with an unknown token', { isPublic: false, authorization: 'Bearer nope' }, 'unauthenticated'],
    ['a guarded endpoint with a valid token', { isPublic: false, authorization: 'Bearer token-handler' }, 'allowed'],
    ['a lower-case bearer scheme', { isPublic: false, authorization: 'bearer token-handler' }, 'allowed'],
    [
      'a role-restricted endpoint and a listed role',
      { isPublic: false, roles: ['operator', 'handler'], authorization: 'Bearer token-handler' },
      'allowed',
    ],
    [
      'a role-restricted endpoint and an unlisted role',
      { isPublic: false, roles: ['admin'], authorization: 'Bearer token-handler' },
      'forbidden',
    ],
    ['a role-restricted endpoint without a token', { isPublic: false, roles: ['admin'] }, 'unauthenticated'],
    ['a public endpoint without a token', { isPublic: true }, 'allowed'],
    ['a public endpoint with a valid token', { isPublic: true, authorization: 'Bearer token-operator' }, 'allowed'],
    ['a public endpoint with a bad token', { isPublic: true, authorization: 'Bearer nope' }, 'unauthenticated'],
  ])('should decide %s', async (_label, request, outcome) => {
    expect((await decideAccess(request, authenticator)).outcome).toBe(outcome);
  });

  it('should hand the principal over when it lets a caller in, and on a public endpoint too', async () => {
    const guarded = await decideAccess({ isPublic: false, authorization: 'Bearer token-auditor' }, authenticator);
    expect(guarded.principal?.actor).toEqual({ userId: 'u-1', role: 'auditor', unitId: 's-hubin', unitKind: 'street' });
    const open = await decideAccess({ isPublic: true, authorization: 'Bearer token-operator' }, authenticator);
    expect(open.principal?.actor.role).toBe('operator');
  });

  it('should not call the authenticator on a public endpoint without a token', async () => {
    const spy = jest.fn(authenticator.authenticate);
    await decideAccess({ isPublic: true }, { authenticate: spy });
    expect(spy).not.toHaveBeenCalled();
  });
});
