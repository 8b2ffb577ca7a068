import { textProblem, textProblemsIn } from './text';

describe('textProblem', () => {
  it.each([
    ['plain Chinese text', '施工噪声扰民'],
    ['an emoji (a surrogate pair)', '噪声 😡 扰民'],
    ['tabs, newlines and other controls', 'a\tb\nc\r\u0001\u007f'],
    ['the empty string', ''],
    ['a pair at the very end', 'x\ud83d\ude00'],
  ])('should accept %s', (_, value) => {
    expect(textProblem(value)).toBeUndefined();
  });

  it.each([
    ['NUL', 'a\u0000b', 'contains NUL (U+0000) at index 1'],
    ['a lone high surrogate at the end', 'ab\ud83d', 'contains a lone UTF-16 surrogate (U+D83D) at index 2'],
    ['a lone low surrogate', '\ude00x', 'contains a lone UTF-16 surrogate (U+DE00) at index 0'],
    ['a high surrogate followed by a letter', '\ud800a', 'contains a lone UTF-16 surrogate (U+D800) at index 0'],
    ['two high surrogates', '\ud800\ud800', 'contains a lone UTF-16 surrogate (U+D800) at index 0'],
  ])('should refuse %s', (_, value, message) => {
    expect(textProblem(value)).toBe(message);
  });
});

describe('textProblemsIn', () => {
  it('should name every bad string of a nested value by its path, keys included', () => {
    const value = { note: 'a\u0000', citizen: { name: 'ok', phone: '\ud800' }, ids: ['ok', 'x\u0000'], ['k\u0000']: 1 };
    expect(textProblemsIn(value).map((problem) => problem.path)).toEqual([
      'note',
      'citizen.phone',
      'ids[1]',
      'k\u0000',
    ]);
  });

  it('should report a bad string given on its own with an empty path', () => {
    expect(textProblemsIn('\u0000')).toEqual([{ path: '', message: 'contains NUL (U+0000) at index 0' }]);
  });

  it('should ignore numbers, booleans and null, and find nothing in clean values', () => {
    expect(textProblemsIn({ a: 1, b: true, c: null, d: ['x', { e: 'y' }] })).toEqual([]);
  });

  it('should not walk past maxDepth, so a hostile depth cannot exhaust the stack', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(textProblemsIn(deep)).toEqual([]);
    expect(textProblemsIn([['\u0000']], 2)).toHaveLength(1);
    expect(textProblemsIn([['\u0000']], 1)).toHaveLength(0);
  });
});
