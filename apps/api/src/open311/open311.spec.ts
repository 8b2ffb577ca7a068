import { buildOrgTree } from '../../../../libs/domain/src/org/org-tree';
import { DEMO_CITY } from '../../../../libs/domain/src/org/demo-city';
import { DEMO_CATALOGUE } from '../../../../libs/domain/src/routing/demo-catalogue';
import { Open311Error } from './open311.errors';
import { escapeXml, render, w3cDatetime } from './open311.format';
import { jurisdictionsOf, locateRequest, pickJurisdiction } from './open311-locate';
import { ClientRateLimiter, open311RequestsPerMinute } from './open311-rate-limit';
import { readAttributes } from './open311-services';
import { window } from './open311.service';

const category = (id: string) => DEMO_CATALOGUE.categories.find((entry) => entry.id === id)!;
const problems = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof Open311Error) return error.errors.map((item) => `${item.code} ${item.description}`);
    throw error;
  }
  throw new Error('expected an Open311Error');
};

describe('Open311 formats', () => {
  it('should write the specification XML: declaration, list items by their names, empty elements for nulls', () => {
    const { contentType, text } = render(
      { root: 'service_requests', body: [{ service_request_id: '1', service_notice: null, lat: 39.9 }] },
      'xml',
    );
    expect(contentType).toBe('text/xml; charset=utf-8');
    expect(text).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n' +
        '<service_requests><request><service_request_id>1</service_request_id><service_notice/>' +
        '<lat>39.9</lat></request></service_requests>\n',
    );
  });

  it('should write JSON without the root element (the Spark convention)', () => {
    expect(render({ root: 'services', body: [{ service_code: 'a' }] }, 'json').text).toBe('[{"service_code":"a"}]');
  });

  it('should escape markup and drop characters XML cannot carry', () => {
    expect(escapeXml('a<b>&c\u0001d')).toBe('a&lt;b&gt;&amp;cd');
  });

  it('should refuse to write a list whose item element is unknown', () => {
    expect(() => render({ root: 'x', body: { things: [1] } }, 'xml')).toThrow(/no item element/);
  });

  it('should format datetimes as W3C UTC to the second', () => {
    expect(w3cDatetime(new Date('2026-12-03T06:15:30.123Z'))).toBe('2026-12-03T06:15:30Z');
    expect(w3cDatetime(null)).toBeNull();
  });
});

describe('Open311 jurisdictions and locations', () => {
  const city = jurisdictionsOf(DEMO_CITY, ['d-beijiao']);

  it('should serve the city and each district with rules of its own, the city without them', () => {
    expect(city.map((j) => j.id)).toEqual(['city-demo', 'd-beijiao']);
    expect(city[0].excludedDistrictIds).toEqual(['d-beijiao']);
    expect(pickJurisdiction(jurisdictionsOf(DEMO_CITY, []), undefined).id).toBe('city-demo');
    expect(problems(() => pickJurisdiction(city, undefined))).toEqual([
      '400 jurisdiction_id: required, as this server serves several jurisdictions: city-demo (示范市), d-beijiao (北郊区)',
    ]);
    expect(problems(() => pickJurisdiction(city, 'sfgov.org'))[0]).toMatch(/^404 jurisdiction_id sfgov.org/);
  });

  it('should place a point by its grid, an address by the names it holds, an address_id by the unit', () => {
    expect(locateRequest(DEMO_CITY, city[0], { lat: '39.9292', long: '116.4338' }).place).toMatchObject({
      communityId: 'c-xiyuan',
      streetId: 's-hubin',
      districtId: 'd-donghu',
    });
    expect(locateRequest(DEMO_CITY, city[0], { address_string: '东湖区湖滨街道柳荫社区3号' })).toMatchObject({
      place: { communityId: 'c-liuyin', streetId: 's-hubin', districtId: 'd-donghu' },
      address: '东湖区湖滨街道柳荫社区3号',
    });
    expect(locateRequest(DEMO_CITY, city[0], { address_id: 's-wenchang' })).toMatchObject({
      place: { streetId: 's-wenchang', districtId: 'd-donghu' },
      address: '东湖区文昌街道',
    });
  });

  it('should prefer a point in a grid outline to a nearer centroid elsewhere', () => {
    const units = DEMO_CITY.units.map((unit) =>
      unit.id === 'g-liuyin-1'
        ? {
            ...unit,
            boundary: [
              { lat: 39.928, lng: 116.432 },
              { lat: 39.93, lng: 116.432 },
              { lat: 39.93, lng: 116.435 },
              { lat: 39.928, lng: 116.435 },
            ],
          }
        : unit,
    );
    const tree = buildOrgTree(units);
    const located = locateRequest(tree, jurisdictionsOf(tree, [])[0], { lat: '39.9292', long: '116.4338' });
    expect(located.place).toMatchObject({ gridId: 'g-liuyin-1', communityId: 'c-liuyin' });
  });

  it.each([
    [{}, /location: send lat and long/],
    [{ lat: '39.9' }, /^400 long: required with lat/],
    [{ lat: 'north', long: '116.4' }, /^400 lat: must be a WGS-84 latitude/],
    [{ lat: '31.23', long: '121.47' }, /outside jurisdiction city-demo \(示范市\): no grid of it is near/],
    [{ address_id: 'c-qinghewan' }, /lies in 北郊区 \(d-beijiao\).*a jurisdiction of its own/],
    [{ address_id: 'dept-housing' }, /address_id: dept-housing is not a grid/],
    [{ address_string: '北郊区北苑街道' }, /address_string: names no district/],
  ])('should refuse the location %j', (location, message) => {
    expect(problems(() => locateRequest(DEMO_CITY, city[0], location)).join('\n')).toMatch(message);
  });

  it("should refuse a point in another district for a district's jurisdiction", () => {
    expect(problems(() => locateRequest(DEMO_CITY, city[1], { lat: '39.9292', long: '116.4338' }))).toEqual([
      '400 lat/long (39.9292, 116.4338): lies in 东湖区 (d-donghu), outside jurisdiction d-beijiao (北郊区)',
    ]);
  });
});

describe('Open311 attributes', () => {
  it('should default the kind where the category takes one, and require it where it takes several', () => {
    expect(readAttributes(category('noise-nuisance'), undefined)).toEqual({ kind: 'complaint' });
    expect(problems(() => readAttributes(category('stray-animals'), {}))).toEqual([
      '400 attribute[kind]: required for service stray-animals: one of help, complaint',
    ]);
    expect(readAttributes(category('stray-animals'), { kind: 'help', emergency: 'fire', new_facts: 'true' })).toEqual({
      kind: 'help',
      emergencyType: 'fire',
      hasNewFacts: true,
    });
  });

  it('should report every problem of the attributes at once', () => {
    expect(
      problems(() => readAttributes(category('noise-nuisance'), { kind: 'help', colour: 'red', urgency: ['a', 'b'] })),
    ).toEqual([
      '400 attribute[colour]: not an attribute of service noise-nuisance; known: kind, urgency, emergency, inadmissible, new_facts',
      '400 attribute[kind]: must be one of complaint, not help',
      '400 attribute[urgency]: takes one value (singlevaluelist)',
    ]);
  });
});

describe('Open311 windows and limits', () => {
  const now = new Date('2026-12-03T00:00:00Z');

  it('should default to the last 90 days and refuse longer or reversed windows', () => {
    expect(window(undefined, undefined, now)).toEqual({ start: new Date('2026-09-04T00:00:00Z'), end: now });
    expect(window('2026-11-01T00:00:00+08:00', undefined, now).end).toEqual(now);
    expect(problems(() => window('2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z', now))).toEqual([
      '400 start_date, end_date: may not span more than 90 days',
    ]);
    expect(problems(() => window('2026-02-01T00:00:00Z', '2026-01-01T00:00:00Z', now))).toEqual([
      '400 end_date: must not be before start_date',
    ]);
    expect(problems(() => window('2026-02-01', undefined, now))[0]).toMatch(/start_date: must be a W3C datetime/);
  });

  it('should let each client make limit attempts per window, then say when to retry', () => {
    const limiter = new ClientRateLimiter(2, 60_000);
    expect(limiter.take('a', 0)).toEqual({ allowed: true });
    expect(limiter.take('a', 1_000)).toEqual({ allowed: true });
    expect(limiter.take('a', 2_000)).toEqual({ allowed: false, retryAfterSeconds: 58 });
    expect(limiter.take('b', 2_000)).toEqual({ allowed: true });
    expect(limiter.take('a', 60_000)).toEqual({ allowed: true });
  });

  it('should read the per-minute limit from the environment, refusing nonsense at boot', () => {
    expect(open311RequestsPerMinute({})).toBe(30);
    expect(open311RequestsPerMinute({ OPEN311_REQUESTS_PER_MINUTE: '5' })).toBe(5);
    expect(() => open311RequestsPerMinute({ OPEN311_REQUESTS_PER_MINUTE: 'lots' })).toThrow(/whole number/);
  });
});
