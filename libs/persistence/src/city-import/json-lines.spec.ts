import { jsonValueLines, lineOf } from './json-lines';

const TEXT = `{
  "id": "qingshan",
  "categories": [
    { "id": "a", "name": "甲" },
    {
      "id": "b\\"quoted\\"",
      "deadlines": { "normal": { "sign": "1WD" } },
      "kinds": ["complaint", "report"]
    }
  ]
}`;

describe('jsonValueLines', () => {
  it.each<[string, number]>([
    ['', 1],
    ['id', 2],
    ['categories', 3],
    ['categories[0]', 4],
    ['categories[0].name', 4],
    ['categories[1]', 5],
    ['categories[1].id', 6],
    ['categories[1].deadlines.normal.sign', 7],
    ['categories[1].kinds[1]', 8],
  ])('should place %j on line %i', (path, line) => {
    expect(jsonValueLines(TEXT).get(path)).toBe(line);
  });

  it('should number the elements of a top-level array', () => {
    const lines = jsonValueLines('[\n  {"id": "a"},\n  {"id": "b"}\n]');
    expect([lines.get('[0]'), lines.get('[1].id')]).toEqual([2, 3]);
  });
});

describe('lineOf', () => {
  it.each<[string, number]>([
    ['categories[1].id', 6],
    ['categories[1].coUnits', 5],
    ['categories[7].name', 3],
    ['nowhere', 1],
  ])('should give %j the line of the nearest value found: %i', (path, line) => {
    expect(lineOf(jsonValueLines(TEXT), path)).toBe(line);
  });
});
