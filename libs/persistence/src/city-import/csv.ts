/** One record of a CSV file: its fields by column name, and the line it starts on (1-based, the header is line 1). */
export interface CsvRecord {
  line: number;
  fields: Record<string, string>;
}

/** A parsed CSV file: the header's column names and the records under it. */
export interface CsvTable {
  columns: string[];
  records: CsvRecord[];
}

/** A CSV file that cannot be read as a table, with the line where reading stopped. */
export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';

  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Splits CSV text into rows of fields by RFC 4180: fields separated by commas, rows by CRLF or LF; a field in double
 * quotes may hold commas, line breaks and doubled quotes (`""` is one `"`). A UTF-8 byte order mark at the start is
 * skipped, and so is a final line break. Returns each row with the line it starts on.
 * @throws CsvSyntaxError for a quote inside an unquoted field, text after a closing quote, or an unclosed quote.
 */
export function parseCsvRows(text: string): { line: number; values: string[] }[] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: { line: number; values: string[] }[] = [];
  let values: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endField = () => {
    values.push(field);
    field = '';
    quoted = false;
  };
  let i = 0;
  while (i < source.length) {
    const char = source[i];
    const lineBreak = char === '\n' ? 1 : char === '\r' && source[i + 1] === '\n' ? 2 : 0;
    if (char === '"') {
      if (field !== '' || quoted) throw new CsvSyntaxError(line, 'a quote inside an unquoted field');
      quoted = true;
      const quoteLine = line;
      for (i += 1; ; i += 1) {
        if (i >= source.length) throw new CsvSyntaxError(quoteLine, 'a quoted field is not closed');
        if (source[i] === '"' && source[i + 1] === '"') {
          field += '"';
          i += 1;
        } else if (source[i] === '"') {
          break;
        } else {
          if (source[i] === '\n') line += 1;
          field += source[i];
        }
      }
      i += 1;
      const next = source[i];
      if (i < source.length && next !== ',' && next !== '\n' && !(next === '\r' && source[i + 1] === '\n')) {
        throw new CsvSyntaxError(line, 'text after the closing quote of a field');
      }
    } else if (char === ',') {
      endField();
      i += 1;
    } else if (lineBreak > 0) {
      endField();
      rows.push({ line: rowLine, values });
      values = [];
      i += lineBreak;
      line += 1;
      rowLine = line;
    } else {
      field += char;
      i += 1;
    }
  }
  if (field !== '' || quoted || values.length > 0) {
    endField();
    rows.push({ line: rowLine, values });
  }
  return rows;
}

/**
 * Reads CSV text as a table: the first row names the columns (trimmed), each later row is a record keyed by them.
 * Blank lines are skipped.
 * @throws CsvSyntaxError as {@link parseCsvRows}; for an empty file, an empty or repeated column name, or a row with
 *   more or fewer fields than the header.
 */
export function parseCsv(text: string): CsvTable {
  const rows = parseCsvRows(text).filter((row) => !(row.values.length === 1 && row.values[0].trim() === ''));
  if (rows.length === 0) throw new CsvSyntaxError(1, 'the file has no header row');
  const [header, ...body] = rows;
  const columns = header.values.map((name) => name.trim());
  columns.forEach((name, index) => {
    if (name === '') throw new CsvSyntaxError(header.line, `column ${index + 1} of the header has no name`);
    if (columns.indexOf(name) !== index) throw new CsvSyntaxError(header.line, `column '${name}' appears twice`);
  });
  const records = body.map((row) => {
    if (row.values.length !== columns.length) {
      throw new CsvSyntaxError(row.line, `${row.values.length} fields where the header has ${columns.length}`);
    }
    return { line: row.line, fields: Object.fromEntries(columns.map((name, index) => [name, row.values[index]])) };
  });
  return { columns, records };
}
