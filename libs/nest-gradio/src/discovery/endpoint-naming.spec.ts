import { defaultApiName, uniqueApiName } from './endpoint-naming.js';

describe('API names (docs/protocol.md#server-mode)', () => {
  it.each([
    ['predict', 'predict'],
    ['<lambda>', 'lambda'],
    ['Say_$$_goodbye', 'Say__goodbye'],
    ['kebab-case_ok', 'kebab-case_ok'],
    ['a.b/c?d#e', 'abcde'],
  ])('the default name of %s is %s', (methodName, expected) => {
    expect(defaultApiName(methodName)).toBe(expected);
  });

  it('appends _1, _2… to names already taken', () => {
    const taken = new Set<string>();
    const names = ['p', 'p', 'p'].map((name) => {
      const unique = uniqueApiName(name, taken);
      taken.add(unique);
      return unique;
    });
    expect(names).toEqual(['p', 'p_1', 'p_2']);
  });

  it('appends to the requested name, so a second p_1 becomes p_1_1 (like Gradio)', () => {
    expect(uniqueApiName('p_1', new Set(['p', 'p_1']))).toBe('p_1_1');
  });
});
