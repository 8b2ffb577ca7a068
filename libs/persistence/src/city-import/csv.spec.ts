import { CsvSyntaxError, parseCsv, parseCsvRows } from './csv';

describe('parseCsvRows', () => {
  it.each<[string, string, { line: number; values: string[] }[]]>([
    [
      'plain fields',
      'a,b\n1,2\n',
      [
        { line: 1, values: ['a', 'b'] },
        { line: 2, values: ['1', '2'] },
      ],
    ],
    [
      'CRLF line breaks',
      'a,b\r\n1,2\r\n',
      [
        { line: 1, values: ['a', 'b'] },
        { line: 2, values: ['1', '2'] },
      ],
    ],
    [
      'no final line break',
      'a,b\n1,2',
      [
        { line: 1, values: ['a', 'b'] },
        { line: 2, values: ['1', '2'] },
      ],
    ],
    [
      'a UTF-8 byte order mark',
      '\uFEFFid,名称\n1,湖滨',
      [
        { line: 1, values: ['id', '名称'] },
        { line: 2, values: ['1', '湖滨'] },
      ],
    ],
    ['a quoted comma', 'a,"x, y"\n', [{ line: 1, values: ['a', 'x, y'] }]],
    ['a doubled quote', '"say ""hi""",b\n', [{ line: 1, values: ['say "hi"', 'b'] }]],
    [
      'a line break inside quotes, counting lines for the next row',
      'a,"one\ntwo"\nb,c\n',
      [
        { line: 1, values: ['a', 'one\ntwo'] },
        { line: 3, values: ['b', 'c'] },
      ],
    ],
    ['empty fields, quoted or not', ',"",x\n', [{ line: 1, values: ['', '', 'x'] }]],
    ['an empty quoted field last', 'a,""', [{ line: 1, values: ['a', ''] }]],
    ['spaces kept as data', ' a , b \n', [{ line: 1, values: [' a ', ' b '] }]],
  ])('should read %s', (_title, text, expected) => {
    expect(parseCsvRows(text)).toEqual(expected);
  });

  it.each<[string, string, number, string]>([
    ['a quote inside an unquoted field', 'a,b"c\n', 1, 'a quote inside an unquoted field'],
    ['text after a closing quote', 'a\n"b"c,d\n', 2, 'text after the closing quote'],
    ['an unclosed quote', 'a\nb,"c\nd\n', 2, 'a quoted field is not closed'],
  ])('should refuse %s, naming the line', (_title, text, line, message) => {
    expect(() => parseCsvRows(text)).toThrow(CsvSyntaxError);
    expect(() => parseCsvRows(text)).toThrow(
      expect.objectContaining({ line, message: expect.stringContaining(message) }),
    );
  });
});

describe('parseCsv', () => {
  it('should key records by trimmed column names, skipping blank lines, with their lines', () => {
    expect(parseCsv('id, name\n\ns-a,甲街道\n"s-b","乙,街道"\n')).toEqual({
      columns: ['id', 'name'],
      records: [
        { line: 3, fields: { id: 's-a', name: '甲街道' } },
        { line: 4, fields: { id: 's-b', name: '乙,街道' } },
      ],
    });
  });

  it.each<[string, string, number, string]>([
    ['an empty file', '', 1, 'no header row'],
    ['a header with an empty name', 'id,,name\n', 1, 'column 2 of the header has no name'],
    ['a repeated column', 'id,id\n', 1, "column 'id' appears twice"],
    ['a row with too few fields', 'id,name\na,b\nc\n', 3, '1 fields where the header has 2'],
    ['a row with too many fields', 'id,name\na,b,c\n', 2, '3 fields where the header has 2'],
  ])('should refuse %s', (_title, text, line, message) => {
    expect(() => parseCsv(text)).toThrow(
      expect.objectContaining({ name: 'CsvSyntaxError', line, message: expect.stringContaining(message) }),
    );
  });
});
