import { CsvSyntaxError, parseCsv } from './csv';
import { jsonValueLines, lineOf } from './json-lines';

/** One problem of a city's files: where (file, line, field), the rule broken, and a sentence for a person. */
export interface ImportProblem {
  /** The file name, e.g. `units.csv`. */
  file: string;
  /** 1-based line: of the record in a CSV file (the header is line 1), of the value in a JSON file. */
  line: number;
  /** The column (CSV), or the field path (JSON), e.g. `parent`, `categories[3].handler`; `*` for the whole file. */
  field: string;
  /** A stable rule name, e.g. `unknown-unit`, `duplicate-id`, `required`. */
  rule: string;
  message: string;
}

/** `units.csv:14: parent: unknown unit 's-nowhere'`. */
export function formatProblem(problem: ImportProblem): string {
  return `${problem.file}:${problem.line}: ${problem.field}: ${problem.message}`;
}

/** The tables of a city, each readable from `<name>.csv` or `<name>.json` (an array of objects with the columns). */
export const CITY_TABLES = {
  /** Territorial units and service centres: the root (city or county), districts, streets, townships … grids. */
  units: { required: ['id', 'kind', 'name', 'parent'], optional: ['lat', 'lng', 'polygon'] },
  /** Functional departments and public-utility companies with their line of duty. */
  departments: { required: ['id', 'name', 'parent', 'duty'], optional: ['utility'] },
  /** Coordination committees, one per locality. */
  committees: { required: ['id', 'name', 'locality', 'level'], optional: [] },
  /**
   * Bodies found by function: offices (government office, executive meeting, discipline office, command centre, a
   * village's governance centre …) and, with `kind` `volunteer-group`, volunteer and self-organised groups.
   */
  offices: { required: ['id', 'name', 'parent', 'function'], optional: ['kind'] },
  /** Accounts: one role and one unit each. */
  users: { required: ['username', 'display_name', 'role', 'unit'], optional: ['password', 'password_hash', 'active'] },
  /** Local days off or on of the city's working-day calendar. */
  'calendar-days': { required: ['date', 'working', 'name'], optional: [] },
} as const satisfies Record<string, { required: readonly string[]; optional: readonly string[] }>;

/** The name of a table of {@link CITY_TABLES}. */
export type CityTableName = keyof typeof CITY_TABLES;

/** The routing catalogue's file: JSON only (categories nest their deadlines). */
export const CATALOGUE_FILE = 'catalogue.json';

/** One record of a table, from whichever file held it. */
export interface CityRecord {
  file: string;
  line: number;
  /** Values by column; absent optional columns are ''. */
  fields: Record<string, string>;
  /** The line of each field where it differs from the record's (JSON: a field on its own line). */
  fieldLines: Record<string, number>;
}

/** What {@link readCityTables} read: records by table (absent tables are undefined), the catalogue's text. */
export interface CityTables {
  tables: Partial<Record<CityTableName, CityRecord[]>>;
  catalogue?: { text: string; lines: ReadonlyMap<string, number> };
}

/**
 * Reads the files of a city (file name → text, as a folder or an HTTP body holds them) into tables. Every problem is
 * collected: an unknown `.csv`/`.json` file, a table given as both CSV and JSON, a missing `units` table, a CSV or
 * JSON syntax error, missing or unknown columns. Other file types (a README) are ignored.
 */
export function readCityTables(files: Readonly<Record<string, string>>): {
  tables: CityTables;
  problems: ImportProblem[];
} {
  const problems: ImportProblem[] = [];
  const tables: CityTables = { tables: {} };
  const problem = (file: string, line: number, field: string, rule: string, message: string) =>
    problems.push({ file, line, field, rule, message });

  for (const file of Object.keys(files).sort()) {
    if (!/\.(csv|json)$/.test(file) || file === CATALOGUE_FILE) continue;
    const name = file.replace(/\.(csv|json)$/, '');
    if (!(name in CITY_TABLES)) {
      const known = [...Object.keys(CITY_TABLES).map((table) => `${table}.csv`), CATALOGUE_FILE].join(', ');
      problem(file, 1, '*', 'unknown-file', `not a file of a city (expected one of ${known}, or .json for a table)`);
    } else if (`${name}.csv` in files && `${name}.json` in files && file.endsWith('.json')) {
      problem(file, 1, '*', 'duplicate-table', `${name} is given as both ${name}.csv and ${name}.json: keep one`);
    }
  }
  for (const name of Object.keys(CITY_TABLES) as CityTableName[]) {
    const file = `${name}.csv` in files ? `${name}.csv` : `${name}.json` in files ? `${name}.json` : undefined;
    if (!file) {
      if (name === 'units')
        problem('units.csv', 1, '*', 'required', 'the units table is required (units.csv or units.json)');
      continue;
    }
    const read = file.endsWith('.csv') ? readCsvTable(file, files[file]) : readJsonTable(file, files[file]);
    problems.push(...read.problems);
    if (!read.records) continue;
    const { required, optional } = CITY_TABLES[name];
    const known = new Set<string>([...required, ...optional]);
    const headerLine = file.endsWith('.csv') ? 1 : undefined;
    for (const column of required) {
      if (!read.columns.has(column)) {
        problem(file, headerLine ?? 1, column, 'required', `the column '${column}' is missing`);
      }
    }
    for (const column of read.columns) {
      if (!known.has(column)) {
        problem(file, headerLine ?? 1, column, 'unknown-column', `unknown column (known: ${[...known].join(', ')})`);
      }
    }
    tables.tables[name] = read.records.map((record) => ({
      ...record,
      fields: Object.fromEntries([...known].map((column) => [column, record.fields[column] ?? ''])),
    }));
  }
  if (CATALOGUE_FILE in files) {
    const text = files[CATALOGUE_FILE];
    const syntax = jsonSyntaxProblem(CATALOGUE_FILE, text);
    if (syntax) problems.push(syntax);
    else tables.catalogue = { text, lines: jsonValueLines(text) };
  }
  return { tables, problems };
}

interface ReadTable {
  columns: Set<string>;
  records?: CityRecord[];
  problems: ImportProblem[];
}

function readCsvTable(file: string, text: string): ReadTable {
  try {
    const table = parseCsv(text);
    return {
      columns: new Set(table.columns),
      records: table.records.map(({ line, fields }) => ({ file, line, fields: trimAll(fields), fieldLines: {} })),
      problems: [],
    };
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    return {
      columns: new Set(),
      problems: [{ file, line: error.line, field: '*', rule: 'csv-syntax', message: error.message }],
    };
  }
}

function readJsonTable(file: string, text: string): ReadTable {
  const syntax = jsonSyntaxProblem(file, text);
  if (syntax) return { columns: new Set(), problems: [syntax] };
  const value = JSON.parse(stripBom(text)) as unknown;
  const lines = jsonValueLines(text);
  if (!Array.isArray(value)) {
    return {
      columns: new Set(),
      problems: [{ file, line: 1, field: '*', rule: 'json-shape', message: 'expected an array of objects' }],
    };
  }
  const columns = new Set<string>();
  const problems: ImportProblem[] = [];
  const records: CityRecord[] = [];
  value.forEach((item: unknown, index) => {
    const line = lineOf(lines, `[${index}]`);
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      problems.push({ file, line, field: `[${index}]`, rule: 'json-shape', message: 'expected an object' });
      return;
    }
    const fields: Record<string, string> = {};
    const fieldLines: Record<string, number> = {};
    for (const [key, field] of Object.entries(item as Record<string, unknown>)) {
      columns.add(key);
      fieldLines[key] = lineOf(lines, `[${index}].${key}`);
      if (field === null || field === undefined) fields[key] = '';
      else if (typeof field === 'string' || typeof field === 'number' || typeof field === 'boolean') {
        fields[key] = String(field).trim();
      } else {
        problems.push({
          file,
          line: fieldLines[key],
          field: key,
          rule: 'json-shape',
          message: 'expected a string, number or boolean',
        });
      }
    }
    records.push({ file, line, fields, fieldLines });
  });
  return { columns, records, problems };
}

function jsonSyntaxProblem(file: string, text: string): ImportProblem | undefined {
  try {
    JSON.parse(stripBom(text));
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // V8 names the offset ("at position 123"): turn it into a line.
    const position = /position (\d+)/.exec(message);
    const line = position ? stripBom(text).slice(0, Number(position[1])).split('\n').length : 1;
    return { file, line, field: '*', rule: 'json-syntax', message: `not valid JSON: ${message}` };
  }
}

const stripBom = (text: string) => (text.startsWith('\uFEFF') ? text.slice(1) : text);

function trimAll(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, value.trim()]));
}
