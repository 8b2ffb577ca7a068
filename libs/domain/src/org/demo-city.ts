import { buildOrgTree } from './org-tree';
import { OrgTree, OrgUnit } from './org.types';

/*
 * Seed data for 示范市 (Demo City), a fictional city laid over the area around lat 39.9, lng 116.4: an urban
 * district (东湖区), a mixed one (西山区) and a suburban one (北郊区). Names are invented but follow real naming
 * habits. Ids are recorded in case histories and tests: never rename one.
 */

/** A grid's centroid as [lat, lng]. */
type GridSeed = readonly [lat: number, lng: number];

interface CommunitySeed {
  readonly id: string;
  readonly kind: 'community' | 'village';
  readonly name: string;
  /** One entry per grid; the community centroid is their mean. */
  readonly grids: readonly GridSeed[];
}

interface StreetSeed {
  readonly id: string;
  readonly kind: 'street' | 'township';
  readonly name: string;
  readonly communities: readonly CommunitySeed[];
}

interface DistrictSeed {
  readonly id: string;
  /** Also the prefix of the district's own departments' names, e.g. `东湖区` → `东湖区市场监督管理局`. */
  readonly name: string;
  /** The district's own command centre (two-level command, e.g. the `nanjing` preset): [id, name]. */
  readonly commandCentre?: readonly [id: string, name: string];
  readonly streets: readonly StreetSeed[];
}

const c = (id: string, name: string, ...grids: GridSeed[]): CommunitySeed => ({ id, kind: 'community', name, grids });
const v = (id: string, name: string, ...grids: GridSeed[]): CommunitySeed => ({ id, kind: 'village', name, grids });

const DISTRICTS: readonly DistrictSeed[] = [
  {
    id: 'd-donghu',
    name: '东湖区',
    commandCentre: ['centre-donghu', '东湖区城市运行联勤指挥中心'],
    streets: [
      {
        id: 's-hubin',
        kind: 'street',
        name: '湖滨街道',
        communities: [
          c('c-xiyuan', '西苑社区', [39.9292, 116.4338], [39.9268, 116.4362]),
          c('c-liuyin', '柳荫社区', [39.9221, 116.4447], [39.9199, 116.4473]),
          c('c-huguang', '湖光社区', [39.9305, 116.4492]),
        ],
      },
      {
        id: 's-wenchang',
        kind: 'street',
        name: '文昌街道',
        communities: [
          c('c-wenhua', '文华社区', [39.9091, 116.4088], [39.9069, 116.4112]),
          c('c-shuyuan', '书院社区', [39.9012, 116.4183]),
          c('c-zhonglou', '钟楼社区', [39.9104, 116.4225]),
        ],
      },
      {
        id: 's-xinhua',
        kind: 'street',
        name: '新华街道',
        communities: [
          c('c-xinhuali', '新华里社区', [39.8981, 116.4388], [39.8959, 116.4412]),
          c('c-nanmen', '南门社区', [39.8903, 116.4481]),
          c('c-dongfang', '东坊社区', [39.8942, 116.4553]),
        ],
      },
    ],
  },
  {
    id: 'd-xishan',
    name: '西山区',
    streets: [
      {
        id: 's-yinxing',
        kind: 'street',
        name: '银杏街道',
        communities: [
          c('c-yinxingyuan', '银杏园社区', [39.9391, 116.3038], [39.9369, 116.3062]),
          c('c-songtao', '松涛社区', [39.9322, 116.3161]),
          c('c-fenglin', '枫林社区', [39.9403, 116.3184]),
        ],
      },
      {
        id: 's-jintai',
        kind: 'street',
        name: '金台街道',
        communities: [
          c('c-jintaili', '金台里社区', [39.9211, 116.2838], [39.9189, 116.2862]),
          c('c-yuquan', '玉泉社区', [39.9141, 116.2962]),
        ],
      },
      {
        id: 't-shiqiao',
        kind: 'township',
        name: '石桥镇',
        communities: [
          v('v-shiqiao', '石桥村', [39.9621, 116.2459]),
          v('v-qianying', '前营村', [39.9552, 116.2581]),
          c('c-qiaoxi', '桥西社区', [39.9653, 116.2548]),
        ],
      },
    ],
  },
  {
    id: 'd-beijiao',
    name: '北郊区',
    streets: [
      {
        id: 's-beiyuan',
        kind: 'street',
        name: '北苑街道',
        communities: [
          c('c-beiyuan-jiayuan', '北苑家园社区', [40.0231, 116.4038], [40.0209, 116.4062]),
          c('c-qinghewan', '清河湾社区', [40.0162, 116.4161]),
        ],
      },
      {
        id: 't-liuhe',
        kind: 'township',
        name: '柳河镇',
        communities: [
          v('v-liuhe', '柳河村', [40.0822, 116.3761]),
          v('v-zhangjiazhuang', '张家庄村', [40.0763, 116.3884]),
          c('c-liuhe-xincheng', '柳河新城社区', [40.0851, 116.3902]),
        ],
      },
      {
        id: 't-shuangta',
        kind: 'township',
        name: '双塔乡',
        communities: [v('v-shuangta', '双塔村', [40.1221, 116.4462]), v('v-nangou', '南沟村', [40.1153, 116.4581])],
      },
    ],
  },
];

/**
 * City-level functional departments and public-utility companies: [id, name, duty, utility?]. The duty key links a
 * city department to its district-level counterparts.
 */
const CITY_DEPARTMENTS: ReadonlyArray<readonly [id: string, name: string, duty: string, utility?: true]> = [
  ['dept-urban-management', '市城市管理综合行政执法局', 'urban-management'],
  ['dept-city-management', '市城市管理委员会', 'city-management'],
  ['dept-housing', '市住房和城乡建设委员会', 'housing'],
  ['dept-planning', '市规划和自然资源委员会', 'planning'],
  ['dept-market-regulation', '市市场监督管理局', 'market-regulation'],
  ['dept-ecology', '市生态环境局', 'ecology'],
  ['dept-water', '市水务局', 'water'],
  ['dept-transport', '市交通委员会', 'transport'],
  ['dept-landscaping', '市园林绿化局', 'landscaping'],
  ['dept-public-security', '市公安局（非紧急警务）', 'public-security'],
  ['dept-health', '市卫生健康委员会', 'health'],
  ['dept-healthcare-security', '市医疗保障局', 'healthcare-security'],
  ['dept-civil-affairs', '市民政局', 'civil-affairs'],
  ['dept-human-resources', '市人力资源和社会保障局', 'human-resources'],
  ['dept-education', '市教育委员会', 'education'],
  ['dept-power-company', '国网示范市电力公司', 'power-supply', true],
  ['dept-gas-company', '示范市燃气集团', 'gas-supply', true],
  ['dept-water-company', '示范市自来水集团', 'water-supply', true],
  ['dept-heating-company', '示范市热力集团', 'heating-supply', true],
];

/** District-level departments every district has: [id suffix, name suffix, duty]. */
const DISTRICT_DEPARTMENTS: ReadonlyArray<readonly [suffix: string, name: string, duty: string]> = [
  ['urban-management', '城市管理综合行政执法局', 'urban-management'],
  ['housing', '住房和城乡建设委员会', 'housing'],
  ['market-regulation', '市场监督管理局', 'market-regulation'],
];

/** Id of the demo city's root unit. */
export const DEMO_CITY_ID = 'city-demo';

/** Id of the demo city's 12345 service centre. */
export const DEMO_SERVICE_CENTRE_ID = 'centre-12345';

const GRID_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** Id of the committee of a locality, by the demo city's convention `cc-<locality id>`. */
/**
 * The city's named bodies that ladders and accountability name by function: the government office (Jinan's second
 * rung), the executive meeting (its last), the discipline office (Suyu's accountability) and the joint-patrol command
 * centre (Nanjing's city command).
 */
const CITY_OFFICES: ReadonlyArray<readonly [id: string, name: string, fn: string]> = [
  ['o-government-office', '示范市人民政府办公厅', 'government-office'],
  ['o-executive-meeting', '示范市人民政府常务会议', 'executive-meeting'],
  ['o-discipline-office', '示范市纪委监委', 'discipline-office'],
  ['o-command-centre', '示范市城市运行联勤指挥中心', 'command-centre'],
];

export const committeeIdOf = (localityId: string): string => `cc-${localityId}`;

/**
 * What every village of the demo city has for its rural governance complex (the `xiangdong` preset's 4+X): the
 * village comprehensive governance centre (村级综治中心, an office of function `governance-centre`), first unit for
 * the four services, and one volunteer group for each of them: [service, name suffix, function].
 */
const VILLAGE_CENTRE = { name: '综治中心', fn: 'governance-centre' } as const;
type VillageService = 'patrol' | 'emergency' | 'mediation' | 'service';
const VILLAGE_GROUPS: ReadonlyArray<readonly [service: VillageService, name: string, fn: string]> = [
  ['patrol', '志愿巡逻队', 'volunteer-patrol'],
  ['emergency', '应急处置队', 'emergency-response'],
  ['mediation', '志愿调解队', 'volunteer-mediation'],
  ['service', '志愿服务队', 'volunteer-service'],
];

/** Id of a village's governance centre: `o-<village slug>-governance` (e.g. `o-liuhe-governance`). */
export const villageCentreIdOf = (villageId: string): string => `o-${villageId.replace(/^v-/, '')}-governance`;

/** Id of a village's volunteer group of one service: `vg-<village slug>-<service>` (e.g. `vg-liuhe-mediation`). */
export const volunteerGroupIdOf = (villageId: string, service: VillageService): string =>
  `vg-${villageId.replace(/^v-/, '')}-${service}`;

const under = (community: CommunitySeed, fn: string) => ({ parentId: community.id, function: fn });

/**
 * Builds the demo city's units from the seed tables above, in tree order (city, centre, departments, then each
 * district depth-first with its committees). Deterministic: same output every call.
 */
export function demoCityUnits(): OrgUnit[] {
  const units: OrgUnit[] = [
    { id: DEMO_CITY_ID, kind: 'city', name: '示范市', parentId: null },
    { id: DEMO_SERVICE_CENTRE_ID, kind: 'service-centre', name: '示范市12345市民服务热线中心', parentId: DEMO_CITY_ID },
  ];
  for (const [id, name, fn] of CITY_OFFICES) {
    units.push({ id, kind: 'office', name, parentId: DEMO_CITY_ID, function: fn });
  }
  for (const [id, name, duty, utility] of CITY_DEPARTMENTS) {
    units.push({ id, kind: 'department', name, parentId: DEMO_CITY_ID, duty, ...(utility ? { utility } : {}) });
  }
  const committee = (locality: OrgUnit, level: 'community' | 'street' | 'district'): OrgUnit => ({
    id: committeeIdOf(locality.id),
    kind: 'committee',
    name: `${locality.name}协调委员会`,
    parentId: locality.id,
    level,
    localityId: locality.id,
  });

  for (const district of DISTRICTS) {
    const districtUnit: OrgUnit = { id: district.id, kind: 'district', name: district.name, parentId: DEMO_CITY_ID };
    units.push(districtUnit, committee(districtUnit, 'district'));
    if (district.commandCentre) {
      const [id, name] = district.commandCentre;
      units.push({ id, kind: 'service-centre', name, parentId: district.id });
    }
    for (const [suffix, name, duty] of DISTRICT_DEPARTMENTS) {
      const id = `dept-${district.id.slice('d-'.length)}-${suffix}`;
      units.push({ id, kind: 'department', name: `${district.name}${name}`, parentId: district.id, duty });
    }
    for (const street of district.streets) {
      const streetUnit: OrgUnit = { id: street.id, kind: street.kind, name: street.name, parentId: district.id };
      units.push(streetUnit, committee(streetUnit, 'street'));
      for (const community of street.communities) {
        const lat = mean(community.grids.map(([gridLat]) => gridLat));
        const lng = mean(community.grids.map(([, gridLng]) => gridLng));
        const communityUnit: OrgUnit = {
          id: community.id,
          kind: community.kind,
          name: community.name,
          parentId: street.id,
          centroid: { lat, lng },
        };
        units.push(communityUnit, committee(communityUnit, 'community'));
        if (community.kind === 'village') {
          const { name: centreName, fn: centreFn } = VILLAGE_CENTRE;
          const centre = villageCentreIdOf(community.id);
          units.push({
            id: centre,
            kind: 'office',
            name: `${community.name}${centreName}`,
            ...under(community, centreFn),
          });
          for (const [service, name, fn] of VILLAGE_GROUPS) {
            const id = volunteerGroupIdOf(community.id, service);
            units.push({ id, kind: 'volunteer-group', name: `${community.name}${name}`, ...under(community, fn) });
          }
        }
        community.grids.forEach(([gridLat, gridLng], index) => {
          units.push({
            id: `g-${community.id.replace(/^[cv]-/, '')}-${index + 1}`,
            kind: 'grid',
            name: `${community.name}第${GRID_NUMERALS[index]}网格`,
            parentId: community.id,
            centroid: { lat: gridLat, lng: gridLng },
          });
        });
      }
    }
  }
  return units;
}

/** Rounds to 6 decimals (about 0.1 m) so that means of seed coordinates stay tidy. */
const mean = (values: readonly number[]): number =>
  Math.round((values.reduce((sum, value) => sum + value, 0) / values.length) * 1e6) / 1e6;

/**
 * Builds and validates the demo city's org tree (see `buildOrgTree` for the checks).
 *
 * @throws OrgError `invalid-tree` if the seed tables are ever edited into an invalid tree.
 */
export function buildDemoCity(): OrgTree {
  return buildOrgTree(demoCityUnits());
}

/**
 * The demo city 示范市, frozen: 3 districts, 9 streets/townships, 24 communities/villages, 31 grids, 28 departments
 * and utility companies, a committee at every community/village, street/township and district, the 12345 centre,
 * four city offices (government office, executive meeting, discipline office, command centre), and in each of the 6
 * villages a comprehensive governance centre and four volunteer groups (patrol, emergency, mediation, service).
 */
export const DEMO_CITY: OrgTree = buildDemoCity();
