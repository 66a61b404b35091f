import { json, keyValues, table, typedValues } from '../../cli/format';

describe('table', () => {
  it('aligns columns on the widest cell, two spaces apart, without trailing spaces', () => {
    expect(
      table(
        ['ID', 'NAME', 'TYPE'],
        [
          ['a1', 'Acme Corporation', 'customer'],
          ['partner-0042', 'P', ''],
        ],
      ),
    ).toBe(['ID            NAME              TYPE', 'a1            Acme Corporation  customer', 'partner-0042  P'].join('\n') + '\n');
  });

  it('prints only the header for no rows', () => {
    expect(table(['A', 'BB'], [])).toBe('A  BB\n');
  });
});

describe('keyValues', () => {
  it('pads labels and skips absent values', () => {
    expect(keyValues([['ID', 'x'], ['Partner', undefined], ['Created', '2024-01-01']])).toBe('ID:       x\nCreated:  2024-01-01\n');
  });
});

describe('json and typed values', () => {
  it('pretty-prints JSON with a final newline', () => {
    expect(json({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });
  it('joins typed values for one cell', () => {
    expect(typedValues([{ type: 'mobile', value: '+1415' }, { type: 'work', value: '+1212' }])).toBe('mobile +1415, work +1212');
  });
});
