import { resolveAuthOptions, sameSecret } from './auth-options.js';

describe('resolveAuthOptions', () => {
  it('accepts one pair, a list of pairs, or a (possibly async) function', async () => {
    const single = resolveAuthOptions({ auth: ['ann', 'pw'] });
    await expect(single.verify?.('ann', 'pw')).resolves.toBe(true);
    await expect(single.verify?.('ann', 'PW')).resolves.toBe(false);
    await expect(single.verify?.('bob', 'pw')).resolves.toBe(false);
    const list = resolveAuthOptions({
      auth: [
        ['ann', 'a'],
        ['bob', 'b'],
      ],
    });
    await expect(list.verify?.('bob', 'b')).resolves.toBe(true);
    await expect(list.verify?.('bob', 'a')).resolves.toBe(false);
    const fn = resolveAuthOptions({ auth: async (user, password) => user.length === password.length });
    await expect(fn.verify?.('abc', 'xyz')).resolves.toBe(true);
    // Only `true` logs in: a truthy non-boolean does not.
    const sloppy = resolveAuthOptions({ auth: (() => 'yes') as unknown as () => boolean });
    await expect(sloppy.verify?.('a', 'b')).resolves.toBe(false);
  });

  it('is off without options, and refuses contradictory or malformed ones', () => {
    expect(resolveAuthOptions({})).toEqual({ verify: undefined, dependency: undefined, message: null });
    expect(() => resolveAuthOptions({ auth: ['a', 'b'], authDependency: () => null })).toThrow(/together/);
    expect(() => resolveAuthOptions({ auth: [['a']] as unknown as [string, string][] })).toThrow(/username, password/);
    expect(() => resolveAuthOptions({ authDependency: 'header' as unknown as () => null })).toThrow(/function/);
  });

  it('compares secrets exactly', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('', 'a')).toBe(false);
  });
});
