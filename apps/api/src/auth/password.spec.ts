import { decoyHash, hashPassword, ScryptParams, verifyPassword } from './password';

// Cheap parameters keep the suite fast; the format and the checks are the same as with the defaults.
const FAST: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('should verify the right password and refuse a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple', FAST);
    await expect(verifyPassword('correct horse battery staple', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery stapler', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });

  it('should store the scheme, its parameters and a per-hash random salt', async () => {
    const [a, b] = [await hashPassword('same', FAST), await hashPassword('same', FAST)];
    const parts = a.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', '1024', '8', '1']);
    expect(Buffer.from(parts[4], 'base64')).toHaveLength(16);
    expect(Buffer.from(parts[5], 'base64')).toHaveLength(32);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
  });

  it('should default to N=2^15, r=8, p=1', async () => {
    expect((await hashPassword('x')).split('$').slice(0, 4)).toEqual(['scrypt', '32768', '8', '1']);
  });

  it('should verify with the parameters stored in the hash, not the current defaults', async () => {
    const stored = await hashPassword('old account', { N: 2 ** 11, r: 4, p: 2 });
    await expect(verifyPassword('old account', stored)).resolves.toBe(true);
  });

  it('should treat passwords equal after NFKC normalisation as the same', async () => {
    const stored = await hashPassword('ｐａｓｓ１２３', FAST); // full-width, as typed with a Chinese IME
    await expect(verifyPassword('pass123', stored)).resolves.toBe(true);
  });

  it.each([
    ['an empty string', ''],
    ['another scheme', 'bcrypt$2b$10$abcdefghijklmnopqrstuv'],
    [
      'a cost that is not a power of two',
      'scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    ],
    ['an absurd cost', 'scrypt$4294967296$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ['a missing part', 'scrypt$1024$8$1$AAAAAAAAAAAAAAAAAAAAAA=='],
  ])('should count %s as a mismatch, not an error', async (_label, stored) => {
    await expect(verifyPassword('anything', stored)).resolves.toBe(false);
  });

  it('should give one decoy hash that no guess matches', async () => {
    const decoy = await decoyHash();
    expect(await decoyHash()).toBe(decoy);
    await expect(verifyPassword('', decoy)).resolves.toBe(false);
  });
});
