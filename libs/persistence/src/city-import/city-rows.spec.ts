import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkCity, parseWktPolygon } from './city-rows';
import { formatProblem } from './city-tables';

const FIXTURE = join(__dirname, '../../../../test/fixtures/cities/qingshan-county');

/** The fixture's files by name (its README left out, as a folder read leaves it out). */
function qingshan(): Record<string, string> {
  const names = readdirSync(FIXTURE).filter((name) => /\.(csv|json)$/.test(name));
  return Object.fromEntries(names.map((name) => [name, readFileSync(join(FIXTURE, name), 'utf8')]));
}

/** The fixture with one file's text changed. */
function edited(file: string, edit: (text: string) => string): Record<string, string> {
  const files = qingshan();
  return { ...files, [file]: edit(files[file] ?? '') };
}

/** The fixture with one line appended to a file. */
const withLine = (file: string, line: string) => edited(file, (text) => `${text}${line}\n`);

/** The 1-based line of the first occurrence of `needle` in `text`. */
const lineOfText = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

const problemsOf = (files: Record<string, string>) => checkCity(files).problems.map(formatProblem);

describe('checkCity on the Qingshan county fixture', () => {
  const { city, problems } = checkCity(qingshan());

  it('should find no problem', () => {
    expect(problems).toEqual([]);
  });

  it('should build a county tree with townships directly under the root', () => {
    const tree = city!.tree;
    expect(tree.rootId).toBe('county-qingshan');
    expect(tree.byId.get('county-qingshan')?.kind).toBe('county');
    const kinds = (kind: string) => tree.units.filter((unit) => unit.kind === kind).length;
    expect([kinds('township'), kinds('village'), kinds('grid'), kinds('district')]).toEqual([3, 6, 7, 0]);
    expect(tree.byId.get('t-qingxi')?.parentId).toBe('county-qingshan');
    expect(tree.byId.get('cc-county-qingshan')).toMatchObject({ level: 'district', localityId: 'county-qingshan' });
    expect(tree.byId.get('dept-qs-power-company')).toMatchObject({ duty: 'power-supply', utility: true });
    expect(tree.byId.get('o-qs-discipline-office')).toMatchObject({ kind: 'office', function: 'discipline-office' });
  });

  it('should give a grid drawn as a polygon its outline and, without a point, the outline’s centroid', () => {
    const grid = city!.tree.byId.get('g-qingxi-1');
    expect(grid?.boundary).toHaveLength(4);
    expect(grid?.centroid?.lat).toBeCloseTo(29.604, 5);
    expect(grid?.centroid?.lng).toBeCloseTo(118.408, 5);
  });

  it('should read a village’s governance centre and its volunteer groups from offices with a kind column', () => {
    const offices = edited('offices.csv', (text) =>
      [
        ...text
          .trim()
          .split('\n')
          .map((line, index) => (index === 0 ? `${line},kind` : `${line},`)),
        'o-qingxi-governance,清溪村综治中心,v-qingxi,governance-centre,office',
        'vg-qingxi-mediation,清溪村志愿调解队,v-qingxi,volunteer-mediation,volunteer-group',
        '',
      ].join('\n'),
    );
    const checked = checkCity(offices);
    expect(checked.problems.map(formatProblem)).toEqual([]);
    expect(checked.city!.tree.byId.get('o-qingxi-governance')).toMatchObject({ kind: 'office', parentId: 'v-qingxi' });
    expect(checked.city!.tree.byId.get('vg-qingxi-mediation')).toMatchObject({
      kind: 'volunteer-group',
      function: 'volunteer-mediation',
    });
    expect(checked.city!.tree.byId.get('o-qs-discipline-office')?.kind).toBe('office');
  });

  it('should read the catalogue, the accounts and the local days', () => {
    expect(city!.catalogue).toMatchObject({ id: 'qingshan', version: '2026.1' });
    expect(city!.catalogue!.categories.map((category) => category.id)).toContain('noise-nuisance');
    expect(city!.users!.map((user) => user.role).sort()).toEqual([
      'admin',
      'auditor',
      'coordinator',
      'designer',
      'handler',
      'handler',
      'operator',
    ]);
    expect(city!.days).toEqual([
      { date: '2026-06-12', working: false, name: '青山县茶文化节放假' },
      { date: '2026-06-14', working: true, name: '青山县茶文化节调休上班' },
    ]);
  });
});

describe('checkCity problems', () => {
  it.each<[string, Record<string, string>, string]>([
    [
      'an unknown parent',
      withLine('units.csv', 'g-x-1,grid,某网格,v-nowhere,29.6,118.4,'),
      "units.csv:20: parent: unknown unit 'v-nowhere'",
    ],
    [
      'a duplicate id across files',
      withLine('offices.csv', 't-qingxi,办公室,county-qingshan,government-office'),
      "offices.csv:5: id: 't-qingxi' is already the id of units.csv:4",
    ],
    [
      'an id that is not a slug',
      withLine('units.csv', 'V-Bad,village,坏村,t-qingxi,,,'),
      "units.csv:20: id: 'V-Bad' is not an ASCII slug",
    ],
    [
      'a kind units.csv does not hold',
      withLine('units.csv', 'dept-x,department,某局,county-qingshan,,,'),
      "units.csv:20: kind: 'department' is not a kind of units.csv",
    ],
    ['a second root', withLine('units.csv', 'city-other,city,另一市,,,,'), 'exactly one root'],
    [
      'a grid without a point or polygon',
      withLine('units.csv', 'g-x-1,grid,某网格,v-qingxi,,,'),
      'units.csv:20: lat: a grid needs a point (lat, lng) or a polygon',
    ],
    [
      'half a point',
      withLine('units.csv', 'g-x-1,grid,某网格,v-qingxi,29.6,,'),
      'units.csv:20: lng: give both lat and lng, or neither',
    ],
    [
      'a point off the globe',
      withLine('units.csv', 'g-x-1,grid,某网格,v-qingxi,99,118,'),
      'units.csv:20: lat: (99, 118) is not a WGS-84 point',
    ],
    [
      'a bad polygon',
      withLine('units.csv', 'g-x-1,grid,某网格,v-qingxi,,,"POLYGON((1 2, 3 4))"'),
      'units.csv:20: polygon: expected POLYGON',
    ],
    [
      'a grid under a township',
      withLine('units.csv', 'g-x-1,grid,某网格,t-qingxi,29.6,118.4,'),
      "units.csv:20: parent: unit 'g-x-1' (grid) cannot be under 't-qingxi' (township)",
    ],
    [
      'a department under a township',
      withLine('departments.csv', 'dept-x,某局,t-qingxi,x,'),
      "departments.csv:8: parent: unit 'dept-x' (department) cannot be under",
    ],
    [
      'a utility that is not a boolean',
      withLine('departments.csv', 'dept-x,某局,county-qingshan,x,maybe'),
      "departments.csv:8: utility: 'maybe' is not true or false",
    ],
    [
      'a committee of an unknown level',
      withLine('committees.csv', 'cc-x,某委员会,t-qingxi,province'),
      "committees.csv:12: level: 'province' is not a committee level",
    ],
    [
      'a committee at the wrong level',
      withLine('committees.csv', 'cc-x,某委员会,v-qingxi,street'),
      'committees.csv:12: level: committee',
    ],
    [
      'a second committee for a locality',
      withLine('committees.csv', 'cc-x,某委员会,t-qingxi,street'),
      "committees.csv:12: locality: locality 't-qingxi' has two committees",
    ],
    [
      'a body of another kind in offices',
      {
        ...qingshan(),
        'offices.csv': 'id,name,parent,function,kind\no-x,某队伍,t-qingxi,volunteer-patrol,department\n',
      },
      "offices.csv:2: kind: 'department' is not a kind of body found by function",
    ],
    [
      'an office without a function',
      withLine('offices.csv', 'o-x,某办公室,county-qingshan,'),
      "offices.csv:5: function: '' is not a function slug",
    ],
    [
      'a handler at a committee',
      withLine('users.csv', 'qs.x,某人,handler,cc-t-qingxi,qingshan-2026'),
      'users.csv:9: unit: a handler belongs to a unit of kind',
    ],
    [
      'an account on an unknown unit',
      withLine('users.csv', 'qs.x,某人,auditor,t-nowhere,qingshan-2026'),
      'users.csv:9: unit: unit t-nowhere is not in the org tree',
    ],
    [
      'an unknown role',
      withLine('users.csv', 'qs.x,某人,mayor,t-qingxi,qingshan-2026'),
      "users.csv:9: role: 'mayor' is not a role",
    ],
    [
      'a short password',
      withLine('users.csv', 'qs.x,某人,handler,t-qingxi,short'),
      'users.csv:9: password: a password needs at least 8 characters',
    ],
    [
      'a repeated username',
      withLine('users.csv', 'qs.admin,某人,admin,t-qingxi,qingshan-2026'),
      "users.csv:9: username: 'qs.admin' is already on line 8",
    ],
    [
      'an impossible date',
      withLine('calendar-days.csv', '2026-02-30,false,某日'),
      "calendar-days.csv:4: date: '2026-02-30' is not a real date",
    ],
    [
      'a working flag that is not a boolean',
      withLine('calendar-days.csv', '2026-07-01,sometimes,某日'),
      "calendar-days.csv:4: working: 'sometimes' is not true",
    ],
    [
      'a repeated date',
      withLine('calendar-days.csv', '2026-06-12,true,某日'),
      'calendar-days.csv:4: date: 2026-06-12 is already on line 2',
    ],
    [
      'a CSV syntax error',
      withLine('offices.csv', 'o-x,"某办公室"x,county-qingshan,command-centre'),
      'offices.csv:5: *: text after the closing quote',
    ],
    [
      'a missing column',
      edited('offices.csv', (text) => text.replace('id,name,parent,function', 'id,name,parent,fn')),
      "offices.csv:1: function: the column 'function' is missing",
    ],
    ['an unknown file', { ...qingshan(), 'unit.csv': 'id\n' }, 'unit.csv:1: *: not a file of a city'],
    [
      'no units table',
      Object.fromEntries(Object.entries(qingshan()).filter(([name]) => name !== 'units.csv')),
      'units.csv:1: *: the units table is required',
    ],
    [
      'a catalogue handler that is no department',
      edited('catalogue.json', (text) => text.replace('"handler": "dept-qs-ecology"', '"handler": "t-qingxi"')),
      `catalogue.json:${lineOfText(qingshan()['catalogue.json'], '"handler": "dept-qs-ecology"')}: categories[5].handler: category 'pollution-discharge'`,
    ],
    [
      'a catalogue with limits by kind',
      edited('catalogue.json', (text) =>
        text.replace('"id": "qingshan",', '"id": "qingshan",\n  "kindDeadlines": {},'),
      ),
      'catalogue.json:3: kindDeadlines: limits by kind belong in the process definition',
    ],
    [
      'a catalogue handler named by function',
      edited('catalogue.json', (text) =>
        text.replace('"handler": "dept-qs-ecology"', '"handler": "function:governance-centre"'),
      ),
      `categories[5].handler: function:governance-centre: a body named by function belongs in the process definition`,
    ],
    [
      'a patrol flag on a stored category',
      edited('catalogue.json', (text) =>
        text.replace('"name": "噪声扰民",', '"name": "噪声扰民",\n      "patrol": true,'),
      ),
      '.patrol: patrol belongs in the process definition',
    ],
    [
      'a catalogue that is not JSON',
      edited('catalogue.json', (text) => text.replace('"name": "噪声扰民",', '"name": "噪声扰民"')),
      'catalogue.json:',
    ],
  ])('should report %s with its file, line and field', (_title, files, expected) => {
    const problems = problemsOf(files);
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
    expect(checkCity(files).city).toBeUndefined();
  });

  it('should report every problem at once', () => {
    const files = edited(
      'units.csv',
      (text) => `${text}g-x-1,grid,某网格,v-nowhere,29.6,118.4,\nV-Bad,village,坏村,t-qingxi,,,\n`,
    );
    files['calendar-days.csv'] += '2026-13-01,true,某日\n';
    expect(problemsOf(files)).toEqual([
      "units.csv:20: parent: unknown unit 'v-nowhere'",
      "units.csv:21: id: 'V-Bad' is not an ASCII slug (lower-case letters, digits, single hyphens)",
      "calendar-days.csv:4: date: '2026-13-01' is not a real date YYYY-MM-DD",
    ]);
  });

  it('should read a table given as JSON, with the lines of its fields', () => {
    const units = JSON.stringify(
      [
        { id: 'county-qingshan', kind: 'county', name: '青山县', parent: '' },
        { id: 'centre-qingshan-12345', kind: 'service-centre', name: '热线', parent: 'county-qingshan' },
        { id: 't-qingxi', kind: 'township', name: '清溪镇', parent: 'county-qingshan' },
        { id: 'g-x', kind: 'grid', name: '网格', parent: 't-qingxi', lat: 29.6, lng: 118.4 },
      ],
      null,
      2,
    );
    const files: Record<string, string> = { 'units.json': units };
    // The grid's parent field is on line 24 of the pretty-printed array.
    expect(problemsOf(files)).toEqual([
      "units.json:24: parent: unit 'g-x' (grid) cannot be under 't-qingxi' (township)",
    ]);
  });
});

describe('parseWktPolygon', () => {
  it.each<[string, string, { lat: number; lng: number }[] | undefined]>([
    [
      'a closed ring',
      'POLYGON((118 29, 119 29, 119 30, 118 29))',
      [
        { lat: 29, lng: 118 },
        { lat: 29, lng: 119 },
        { lat: 30, lng: 119 },
      ],
    ],
    [
      'an open ring, lower case',
      'polygon((1 2,3 4,5 6))',
      [
        { lat: 2, lng: 1 },
        { lat: 4, lng: 3 },
        { lat: 6, lng: 5 },
      ],
    ],
    [
      'a ring with a hole: the outer ring',
      'POLYGON((0 0, 4 0, 4 4, 0 4), (1 1, 2 1, 2 2))',
      [
        { lat: 0, lng: 0 },
        { lat: 0, lng: 4 },
        { lat: 4, lng: 4 },
        { lat: 4, lng: 0 },
      ],
    ],
    ['two points', 'POLYGON((1 2, 3 4))', undefined],
    ['a point with three numbers', 'POLYGON((1 2 3, 3 4, 5 6))', undefined],
    ['latitude out of range', 'POLYGON((1 95, 3 4, 5 6))', undefined],
    ['not WKT', '118 29, 119 29', undefined],
  ])('should read %s', (_title, text, expected) => {
    expect(parseWktPolygon(text)).toEqual(expected);
  });
});
