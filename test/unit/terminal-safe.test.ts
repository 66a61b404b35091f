/** Issue 14, item 7: what the CLI prints never carries a control character it did not create. */
import { jsonSafe, terminalSafe } from '../../cli/terminal-safe';

describe('terminalSafe', () => {
  it.each([
    ['ESC sequences', 'a\u001b[31mred\u001b[0m', 'a\\u{1B}[31mred\\u{1B}[0m'],
    ['a carriage return', 'shown\rhidden', 'shown\\u{D}hidden'],
    ['a bidi override', 'user\u202Egnp.exe', 'user\\u{202E}gnp.exe'],
    ['NUL and BEL', 'a\u0000b\u0007', 'a\\u{0}b\\u{7}'],
    ['C1 controls', 'a\u009bb', 'a\\u{9B}b'],
  ])('escapes %s', (_what, input, output) => {
    expect(terminalSafe(input)).toBe(output);
  });

  it("keeps the CLI's own newlines and tabs, and ordinary text in any script", () => {
    expect(terminalSafe('ID\tNAME\nZoë 山田 😀\n')).toBe('ID\tNAME\nZoë 山田 😀\n');
  });
});

describe('jsonSafe', () => {
  it('writes invisible characters as \\u escapes: valid JSON with the same strings', () => {
    const value = { name: 'x\u202Ey\u200Bz\u2028\u{E0001}' };
    const text = jsonSafe(JSON.stringify(value));
    expect(text).not.toMatch(/[\u202e\u200b\u2028]/u);
    expect(text).not.toMatch(/\u{E0001}/u);
    expect(JSON.parse(text)).toEqual(value);
  });
});
