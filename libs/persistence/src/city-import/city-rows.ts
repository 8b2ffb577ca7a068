import { membershipProblem } from '../../../../apps/api/src/auth/membership';
import type { LocalDay } from '../../../domain/src/calendar/local-days';
import { parseLocalDate } from '../../../domain/src/calendar/local-time';
import { isValidGeoPoint, polygonCentroid } from '../../../domain/src/org/geo';
import { buildOrgTree } from '../../../domain/src/org/org-tree';
import { CommitteeLevel, GeoPoint, OrgError, OrgTree, OrgUnit, OrgUnitKind } from '../../../domain/src/org/org.types';
import { validateRoutingCatalogue } from '../../../domain/src/routing/routing-catalogue';
import { handlerFunction, type RoutingCatalogue } from '../../../domain/src/routing/routing.types';
import { USER_ROLE_VALUES, UserRoleValue } from '../entities/user.entity';
import { CATALOGUE_FILE, CityRecord, CityTableName, ImportProblem, readCityTables } from './city-tables';
import { lineOf } from './json-lines';

/** An account of the users table, checked. */
export interface CityUser {
  username: string;
  displayName: string;
  role: UserRoleValue;
  unitId: string;
  /** The password in clear, to be hashed on import; or else {@link passwordHash}. */
  password?: string;
  /** A hash made by `hashPassword` (`scrypt$…`), stored as given. */
  passwordHash?: string;
  active: boolean;
}

/** A city's files, checked: the tree and, when their files were given, the catalogue, users and local days. */
export interface CityData {
  tree: OrgTree;
  catalogue?: RoutingCatalogue;
  users?: CityUser[];
  days?: LocalDay[];
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;
const UNIT_KINDS: readonly OrgUnitKind[] = [
  'city',
  'county',
  'district',
  'street',
  'township',
  'community',
  'village',
  'grid',
  'service-centre',
];
const LEVELS: readonly CommitteeLevel[] = ['community', 'street', 'district'];
const BOOLEANS: Readonly<Record<string, boolean>> = {
  true: true,
  yes: true,
  '1': true,
  false: false,
  no: false,
  '0': false,
};

/**
 * Reads and checks a city's files (file name → text) all at once: file and column problems, each row (ids, kinds,
 * names, parents, points and outlines, levels, functions, roles, passwords, dates), then the whole tree
 * (`buildOrgTree`), the catalogue against it (`validateRoutingCatalogue`) and each account's unit against its role.
 * Every problem names its file, line and field. `city` is set only when there is none.
 */
export function checkCity(files: Readonly<Record<string, string>>): { city?: CityData; problems: ImportProblem[] } {
  const { tables, problems } = readCityTables(files);
  const at = (record: CityRecord, field: string, rule: string, message: string) =>
    problems.push({ file: record.file, line: record.fieldLines[field] ?? record.line, field, rule, message });

  // Units of the four unit tables, with the row each came from.
  const units: OrgUnit[] = [];
  const source = new Map<string, CityRecord>();
  const unitTables: CityTableName[] = ['units', 'departments', 'committees', 'offices'];
  for (const name of unitTables) {
    for (const record of tables.tables[name] ?? []) {
      const unit = unitOf(name, record, at);
      if (!unit) continue;
      const first = source.get(unit.id);
      if (first) {
        at(record, 'id', 'duplicate-id', `'${unit.id}' is already the id of ${first.file}:${first.line}`);
        continue;
      }
      source.set(unit.id, record);
      units.push(unit);
    }
  }
  for (const unit of units) {
    if (unit.parentId !== null && !source.has(unit.parentId)) {
      const record = source.get(unit.id) as CityRecord;
      at(
        record,
        record.file.startsWith('committees') ? 'locality' : 'parent',
        'unknown-unit',
        `unknown unit '${unit.parentId}'`,
      );
    }
  }

  let tree: OrgTree | undefined;
  try {
    tree = buildOrgTree(units);
  } catch (error) {
    if (!(error instanceof OrgError)) throw error;
    for (const problem of error.problems) {
      // Problems the row checks reported already (with their field) are not repeated.
      if (/unknown parent|is used more than once|not an ASCII slug|unknown kind|empty name/.test(problem)) continue;
      // The unit a problem is about is the first id it quotes; for two committees of a locality, the second one.
      const quoted = [...problem.matchAll(/'([^']+)'/g)].map((match) => match[1]);
      const id = /has two committees/.test(problem) ? quoted[quoted.length - 1] : quoted[0];
      const record = id ? source.get(id) : undefined;
      const field = /two committees|localityId/.test(problem)
        ? 'locality'
        : /cannot be under|parent/.test(problem)
          ? 'parent'
          : /level|coordinate/.test(problem)
            ? 'level'
            : 'id';
      if (record)
        at(
          record,
          record.file.startsWith('committees') && field === 'parent' ? 'locality' : field,
          'invalid-tree',
          problem,
        );
      else problems.push({ file: 'units.csv', line: 1, field: '*', rule: 'invalid-tree', message: problem });
    }
  }

  const catalogue = tables.catalogue ? catalogueOf(tables.catalogue, tree, problems) : undefined;
  const users = tables.tables.users && usersOf(tables.tables.users, tree, at);
  const days = tables.tables['calendar-days'] && daysOf(tables.tables['calendar-days'], at);
  const order = (file: string) => FILE_ORDER.findIndex((name) => file.startsWith(name));
  problems.sort((a, b) => order(a.file) - order(b.file) || a.line - b.line);
  if (problems.length > 0 || !tree) return { problems };
  return {
    city: { tree, ...(catalogue ? { catalogue } : {}), ...(users ? { users } : {}), ...(days ? { days } : {}) },
    problems,
  };
}

/** The order problems are listed in: by file as a person reads a city, then by line. */
const FILE_ORDER = ['units.', 'departments.', 'committees.', 'offices.', 'catalogue.', 'users.', 'calendar-days.', ''];

type At = (record: CityRecord, field: string, rule: string, message: string) => void;

/** The unit of a row of a unit table, or undefined after reporting why there is none. */
function unitOf(table: CityTableName, record: CityRecord, at: At): OrgUnit | undefined {
  const f = record.fields;
  let ok = true;
  const fail = (field: string, rule: string, message: string) => {
    at(record, field, rule, message);
    ok = false;
  };
  if (f.id === '') fail('id', 'required', 'an id is required');
  else if (!SLUG.test(f.id))
    fail('id', 'slug', `'${f.id}' is not an ASCII slug (lower-case letters, digits, single hyphens)`);
  if (f.name === '') fail('name', 'required', 'a name is required');

  if (table === 'units') {
    const kind = f.kind as OrgUnitKind;
    if (!UNIT_KINDS.includes(kind)) {
      fail('kind', 'unit-kind', `'${f.kind}' is not a kind of units.csv (${UNIT_KINDS.join(', ')})`);
    }
    const isRoot = kind === 'city' || kind === 'county';
    if (isRoot && f.parent !== '') fail('parent', 'root-parent', `a ${kind} is the root: leave parent empty`);
    if (!isRoot && f.parent === '')
      fail('parent', 'required', 'a parent is required (only the city or county has none)');
    const place = placeOf(record, fail);
    if (kind === 'grid' && place && !place.centroid)
      fail('lat', 'required', 'a grid needs a point (lat, lng) or a polygon');
    if (kind === 'service-centre' && place?.boundary) fail('polygon', 'not-an-area', 'a service centre has no outline');
    if (!ok) return undefined;
    return { id: f.id, kind, name: f.name, parentId: isRoot ? null : f.parent, ...place };
  }
  if (table === 'departments') {
    if (f.parent === '') fail('parent', 'required', 'a parent is required (the city, county or a district)');
    if (!SLUG.test(f.duty)) fail('duty', 'slug', `'${f.duty}' is not a duty slug, e.g. urban-management`);
    const utility = f.utility === '' ? false : BOOLEANS[f.utility.toLowerCase()];
    if (utility === undefined) fail('utility', 'boolean', `'${f.utility}' is not true or false`);
    if (!ok) return undefined;
    return {
      id: f.id,
      kind: 'department',
      name: f.name,
      parentId: f.parent,
      duty: f.duty,
      ...(utility ? { utility } : {}),
    };
  }
  if (table === 'committees') {
    if (f.locality === '') fail('locality', 'required', 'the locality the committee coordinates is required');
    if (!LEVELS.includes(f.level as CommitteeLevel)) {
      fail('level', 'committee-level', `'${f.level}' is not a committee level (${LEVELS.join(', ')})`);
    }
    if (!ok) return undefined;
    const level = f.level as CommitteeLevel;
    return { id: f.id, kind: 'committee', name: f.name, parentId: f.locality, level, localityId: f.locality };
  }
  if (f.parent === '') fail('parent', 'required', 'a parent is required (the city, county or a district)');
  if (!SLUG.test(f.function))
    fail('function', 'slug', `'${f.function}' is not a function slug, e.g. government-office`);
  const kind = (f.kind ?? '') === '' ? 'office' : f.kind;
  if (kind !== 'office' && kind !== 'volunteer-group') {
    fail('kind', 'body-kind', `'${kind}' is not a kind of body found by function (office, volunteer-group)`);
  }
  if (!ok) return undefined;
  return {
    id: f.id,
    kind: kind as 'office' | 'volunteer-group',
    name: f.name,
    parentId: f.parent,
    function: f.function,
  };
}

/** The centroid and outline of a units row: lat/lng, or a WKT polygon (its centroid when no point is given). */
function placeOf(
  record: CityRecord,
  fail: (field: string, rule: string, message: string) => void,
): { centroid?: GeoPoint; boundary?: GeoPoint[] } | undefined {
  const { lat, lng, polygon } = record.fields;
  let centroid: GeoPoint | undefined;
  if (lat !== '' || lng !== '') {
    const point = { lat: Number(lat), lng: Number(lng) };
    if (lat === '' || lng === '') {
      fail(lat === '' ? 'lat' : 'lng', 'point', 'give both lat and lng, or neither');
      return undefined;
    }
    if (!isValidGeoPoint(point)) {
      fail(
        Number.isFinite(point.lat) && Math.abs(point.lat) <= 90 ? 'lng' : 'lat',
        'point',
        `(${lat}, ${lng}) is not a WGS-84 point`,
      );
      return undefined;
    }
    centroid = point;
  }
  if (polygon === '') return centroid ? { centroid } : {};
  const boundary = parseWktPolygon(polygon);
  if (!boundary) {
    fail('polygon', 'wkt-polygon', 'expected POLYGON((lng lat, lng lat, lng lat, …)) with at least three valid points');
    return undefined;
  }
  return { centroid: centroid ?? polygonCentroid(boundary), boundary };
}

/**
 * The outer ring of a WKT `POLYGON((lng lat, …))` as points (the closing repeat of the first point dropped), or
 * undefined when the text is not one or has fewer than three valid points. Holes (further rings) are ignored.
 */
export function parseWktPolygon(text: string): GeoPoint[] | undefined {
  const match = /^\s*POLYGON\s*\(\s*\(([^()]*)\)/i.exec(text);
  if (!match) return undefined;
  const points = match[1].split(',').map((pair) => {
    const [lng, lat, ...rest] = pair.trim().split(/\s+/).map(Number);
    return rest.length === 0 ? { lat, lng } : { lat: Number.NaN, lng: Number.NaN };
  });
  const last = points[points.length - 1];
  if (points.length > 1 && last.lat === points[0].lat && last.lng === points[0].lng) points.pop();
  return points.length >= 3 && points.every(isValidGeoPoint) ? points : undefined;
}

function catalogueOf(
  file: { text: string; lines: ReadonlyMap<string, number> },
  tree: OrgTree | undefined,
  problems: ImportProblem[],
): RoutingCatalogue | undefined {
  const value = JSON.parse(file.text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  const report = (path: string, rule: string, message: string) =>
    problems.push({ file: CATALOGUE_FILE, line: lineOf(file.lines, path), field: path || '*', rule, message });
  const before = problems.length;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    report('', 'json-shape', 'expected a routing catalogue object {id, version, name, categories}');
    return undefined;
  }
  for (const key of ['id', 'version', 'name'] as const) {
    if (typeof value[key] !== 'string' || (value[key] as string).trim() === '')
      report(key, 'required', `${key} must be a non-empty string`);
  }
  if ('kindDeadlines' in value)
    report(
      'kindDeadlines',
      'not-stored',
      'limits by kind belong in the process definition (docs/rules.md), not the stored catalogue',
    );
  const categories = value.categories;
  if (!Array.isArray(categories)) {
    report('categories', 'required', 'categories must be an array');
    return undefined;
  }
  categories.forEach((category: unknown, index) => {
    const path = `categories[${index}]`;
    if (category === null || typeof category !== 'object' || Array.isArray(category)) {
      report(path, 'json-shape', 'expected a category object');
      return;
    }
    const c = category as Record<string, unknown>;
    for (const key of ['id', 'name', 'defaultUrgency', 'handler'] as const) {
      if (typeof c[key] !== 'string') report(`${path}.${key}`, 'required', `${key} must be a string`);
    }
    if (!Array.isArray(c.kinds)) report(`${path}.kinds`, 'required', 'kinds must be an array of request kinds');
    if (c.coUnits !== undefined && !Array.isArray(c.coUnits))
      report(`${path}.coUnits`, 'json-shape', 'coUnits must be an array');
    if (c.deadlines === null || typeof c.deadlines !== 'object')
      report(`${path}.deadlines`, 'required', 'deadlines must be an object by urgency');
    for (const key of ['kindDeadlines', 'localityLevel', 'patrol'] as const) {
      if (key in c)
        report(
          `${path}.${key}`,
          'not-stored',
          `${key} belongs in the process definition (docs/rules.md), not the stored catalogue`,
        );
    }
    // The stored catalogue's units are `locality` or departments (its rows reference them); a body named by function
    // (a village's governance centre) is resolved per case, so only a process definition names one.
    const refs: Array<[string, unknown]> = [
      [`${path}.handler`, c.handler],
      ...(Array.isArray(c.coUnits) ? c.coUnits.map((ref, i): [string, unknown] => [`${path}.coUnits[${i}]`, ref]) : []),
    ];
    for (const [field, ref] of refs) {
      if (typeof ref === 'string' && handlerFunction(ref) !== undefined)
        report(
          field,
          'not-stored',
          `${ref}: a body named by function belongs in the process definition (docs/rules.md)`,
        );
    }
  });
  if (problems.length > before || !tree) return undefined;
  const catalogue = value as unknown as RoutingCatalogue;
  const ids = catalogue.categories.map((category) => category.id);
  for (const problem of validateRoutingCatalogue(catalogue, tree)) {
    const id = /^category '([^']*)'/.exec(problem)?.[1];
    const index = id === undefined ? -1 : ids.indexOf(id);
    const path = index < 0 ? (/catalogue id/.test(problem) ? 'id' : 'categories') : `categories[${index}]`;
    const field = index < 0 ? path : `${path}.${fieldOfCategoryProblem(problem)}`;
    report(field, 'invalid-catalogue', problem);
  }
  return problems.length > before ? undefined : catalogue;
}

function fieldOfCategoryProblem(problem: string): string {
  if (/neither 'locality' nor a department|repeat a unit/.test(problem)) return 'handler';
  if (/request kind|accepts no/.test(problem)) return 'kinds';
  if (/default urgency/.test(problem)) return 'defaultUrgency';
  if (/limit|deadlines/.test(problem)) return 'deadlines';
  if (/knowledge answer/.test(problem)) return 'knowledgeAnswer';
  if (/empty name/.test(problem)) return 'name';
  return 'id';
}

function usersOf(records: CityRecord[], tree: OrgTree | undefined, at: At): CityUser[] {
  const users: CityUser[] = [];
  const seen = new Map<string, number>();
  for (const record of records) {
    const f = record.fields;
    let ok = true;
    const fail = (field: string, rule: string, message: string) => {
      at(record, field, rule, message);
      ok = false;
    };
    if (!USERNAME.test(f.username))
      fail('username', 'username', `'${f.username}' is not a username (a-z, 0-9, '.', '_', '-'; 2–64)`);
    else if (seen.has(f.username))
      fail('username', 'duplicate-username', `'${f.username}' is already on line ${seen.get(f.username)}`);
    seen.set(f.username, record.line);
    if (f.display_name === '' || f.display_name.length > 200)
      fail('display_name', 'required', 'a display name of 1–200 characters is required');
    const role = f.role as UserRoleValue;
    if (!USER_ROLE_VALUES.includes(role))
      fail('role', 'role', `'${f.role}' is not a role (${USER_ROLE_VALUES.join(', ')})`);
    else if (tree) {
      const problem = membershipProblem(tree, role, f.unit);
      if (problem) fail('unit', 'membership', problem);
    }
    if (f.password !== '' && f.password_hash !== '')
      fail('password', 'one-password', 'give password or password_hash, not both');
    else if (f.password === '' && f.password_hash === '')
      fail('password', 'required', 'a password (or password_hash) is required');
    else if (f.password !== '' && f.password.length < 8)
      fail('password', 'password-length', 'a password needs at least 8 characters');
    else if (f.password_hash !== '' && !f.password_hash.startsWith('scrypt$'))
      fail('password_hash', 'scrypt', 'a password_hash is a scrypt$… hash');
    const active = f.active === '' ? true : BOOLEANS[f.active.toLowerCase()];
    if (active === undefined) fail('active', 'boolean', `'${f.active}' is not true or false`);
    if (!ok) continue;
    users.push({
      username: f.username,
      displayName: f.display_name,
      role,
      unitId: f.unit,
      ...(f.password !== '' ? { password: f.password } : { passwordHash: f.password_hash }),
      active: active as boolean,
    });
  }
  return users;
}

function daysOf(records: CityRecord[], at: At): LocalDay[] {
  const days: LocalDay[] = [];
  const seen = new Map<string, number>();
  for (const record of records) {
    const { date, working, name } = record.fields;
    let ok = true;
    const fail = (field: string, rule: string, message: string) => {
      at(record, field, rule, message);
      ok = false;
    };
    if (parseLocalDate(date) === undefined) fail('date', 'date-format', `'${date}' is not a real date YYYY-MM-DD`);
    else if (seen.has(date)) fail('date', 'duplicate-day', `${date} is already on line ${seen.get(date)}`);
    seen.set(date, record.line);
    const isWorking = BOOLEANS[working.toLowerCase()];
    if (isWorking === undefined)
      fail('working', 'boolean', `'${working}' is not true (a working day) or false (a day off)`);
    if (name === '') fail('name', 'required', 'a name (why) is required');
    if (ok) days.push({ date, working: isWorking, name });
  }
  return days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
