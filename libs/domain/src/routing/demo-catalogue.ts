import { DEMO_CITY } from '../org/demo-city';
import { buildRoutingCatalogue } from './routing-catalogue';
import { CategoryDeadlines, DeadlineSet, RoutingCatalogue, RoutingCategory } from './routing.types';

/** Limits for an emergency in any category: sign in 30 minutes, contact in 1 hour, handle in 2 hours (natural time). */
const EMERGENCY: DeadlineSet = { sign: 'PT30M', contact: 'PT1H', handle: 'PT2H' };

/**
 * The deadline presets of the demo catalogue (our defaults after DESIGN.md §3; a designer changes them as data).
 *
 * - `ordinary`: sign 1 working day, contact 24 h, handle 7 working days; urgent 2 h / 2 h / 3 working days.
 * - `complex`: as ordinary but handle 15 working days; urgent 7 working days.
 * - `utility` (water, power, gas, heat): handle 24 h. Utility limits count natural time around the clock, so sign and
 *   contact use the 2-hour figures even at normal urgency: a 1-working-day sign limit could otherwise fall after the
 *   24-hour handle limit (a case arriving on Friday evening).
 * - every preset: emergency 30 min / 1 h / 2 h.
 */
export const DEADLINE_PRESETS: Readonly<Record<'ordinary' | 'complex' | 'utility', CategoryDeadlines>> = {
  ordinary: {
    normal: { sign: '1WD', contact: 'PT24H', handle: '7WD' },
    urgent: { sign: 'PT2H', contact: 'PT2H', handle: '3WD' },
    emergency: EMERGENCY,
  },
  complex: {
    normal: { sign: '1WD', contact: 'PT24H', handle: '15WD' },
    urgent: { sign: 'PT2H', contact: 'PT2H', handle: '7WD' },
    emergency: EMERGENCY,
  },
  utility: {
    normal: { sign: 'PT2H', contact: 'PT2H', handle: 'PT24H' },
    urgent: { sign: 'PT2H', contact: 'PT2H', handle: 'PT24H' },
    emergency: EMERGENCY,
  },
};

const { ordinary, complex, utility } = DEADLINE_PRESETS;

const CATEGORIES: readonly RoutingCategory[] = [
  // 属地 (locality) matters: direct dispatch to the street/township, copy to the district.
  {
    id: 'property-management',
    name: '物业管理',
    kinds: ['complaint', 'help', 'consultation', 'suggestion'],
    defaultUrgency: 'normal',
    handler: 'locality',
    coUnits: ['dept-housing'],
    deadlines: ordinary,
    knowledgeAnswer:
      '物业服务问题可先向物业服务企业反映；协商不成的，可向所在街道（乡镇）或区住房和城乡建设委员会投诉。物业费标准以物业服务合同约定为准。',
  },
  {
    id: 'back-street-environment',
    name: '背街小巷环境',
    kinds: ['complaint', 'report', 'suggestion'],
    defaultUrgency: 'normal',
    handler: 'locality',
    coUnits: ['dept-city-management'],
    deadlines: ordinary,
  },
  {
    id: 'illegal-construction',
    name: '违法建设',
    kinds: ['report', 'complaint'],
    defaultUrgency: 'normal',
    handler: 'locality',
    coUnits: ['dept-urban-management', 'dept-planning'],
    deadlines: complex,
    enforcementOrMediation: true,
  },
  {
    id: 'garbage-sorting',
    name: '垃圾分类',
    kinds: ['complaint', 'report', 'consultation', 'suggestion'],
    defaultUrgency: 'normal',
    handler: 'locality',
    coUnits: ['dept-city-management'],
    deadlines: ordinary,
    knowledgeAnswer:
      '生活垃圾分为厨余垃圾、可回收物、有害垃圾和其他垃圾四类，请按小区公示的时间和地点分类投放；大件垃圾请预约物业或社区统一清运。',
  },
  {
    id: 'noise-nuisance',
    name: '噪声扰民',
    kinds: ['complaint'],
    defaultUrgency: 'normal',
    handler: 'locality',
    coUnits: ['dept-ecology'],
    deadlines: ordinary,
  },
  {
    id: 'parking-management',
    name: '停车管理',
    kinds: ['complaint', 'report', 'suggestion'],
    defaultUrgency: 'normal',
    handler: 'locality',
    coUnits: ['dept-transport'],
    deadlines: ordinary,
  },
  {
    id: 'street-vending',
    name: '占道经营',
    kinds: ['report', 'complaint'],
    defaultUrgency: 'normal',
    handler: 'locality',
    coUnits: ['dept-urban-management'],
    deadlines: ordinary,
    enforcementOrMediation: true,
  },
  {
    id: 'stray-animals',
    name: '流浪动物',
    kinds: ['help', 'complaint'],
    defaultUrgency: 'normal',
    handler: 'locality',
    deadlines: ordinary,
  },
  {
    id: 'group-renting',
    name: '群租房',
    kinds: ['report', 'complaint'],
    defaultUrgency: 'normal',
    handler: 'locality',
    coUnits: ['dept-housing', 'dept-public-security'],
    deadlines: complex,
    enforcementOrMediation: true,
  },
  {
    id: 'neighbour-disputes',
    name: '邻里纠纷',
    kinds: ['help', 'complaint'],
    defaultUrgency: 'normal',
    handler: 'locality',
    deadlines: ordinary,
    enforcementOrMediation: true,
  },
  {
    id: 'community-services',
    name: '社区服务',
    kinds: ['complaint', 'suggestion', 'help'],
    defaultUrgency: 'normal',
    handler: 'locality',
    deadlines: ordinary,
  },
  // Housing and construction.
  {
    id: 'old-estate-renovation',
    name: '老旧小区改造',
    kinds: ['consultation', 'complaint', 'suggestion'],
    defaultUrgency: 'normal',
    handler: 'dept-housing',
    coUnits: ['locality'],
    deadlines: complex,
    knowledgeAnswer:
      '老旧小区综合整治由区住房和城乡建设部门会同街道（乡镇）组织实施，年度改造计划在市住建委网站公示，具体施工安排以小区公告为准。',
  },
  {
    id: 'elevator-retrofit',
    name: '老楼加装电梯',
    kinds: ['consultation', 'help', 'complaint', 'suggestion'],
    defaultUrgency: 'normal',
    handler: 'dept-housing',
    coUnits: ['locality'],
    deadlines: complex,
    knowledgeAnswer:
      '既有多层住宅加装电梯须经本单元业主依法表决同意，由业主或其委托的实施主体向区住建部门申请，财政按规定给予补贴；详情可咨询所在街道（乡镇）。',
  },
  {
    id: 'construction-dust',
    name: '施工扬尘',
    kinds: ['complaint', 'report'],
    defaultUrgency: 'normal',
    handler: 'dept-housing',
    coUnits: ['dept-ecology'],
    deadlines: ordinary,
    enforcementOrMediation: true,
  },
  {
    id: 'night-construction',
    name: '夜间施工',
    kinds: ['complaint', 'report'],
    defaultUrgency: 'urgent',
    handler: 'dept-urban-management',
    coUnits: ['dept-housing'],
    deadlines: ordinary,
    enforcementOrMediation: true,
  },
  // City management and environment.
  {
    id: 'restaurant-fumes',
    name: '餐饮油烟',
    kinds: ['complaint', 'report'],
    defaultUrgency: 'normal',
    handler: 'dept-urban-management',
    coUnits: ['dept-ecology'],
    deadlines: ordinary,
    enforcementOrMediation: true,
  },
  {
    id: 'street-lights',
    name: '路灯',
    kinds: ['help', 'complaint'],
    defaultUrgency: 'normal',
    handler: 'dept-city-management',
    deadlines: ordinary,
  },
  {
    id: 'manhole-covers',
    name: '井盖',
    kinds: ['help', 'report'],
    defaultUrgency: 'urgent',
    handler: 'dept-city-management',
    deadlines: ordinary,
  },
  {
    id: 'public-toilets',
    name: '公厕',
    kinds: ['complaint', 'suggestion', 'help'],
    defaultUrgency: 'normal',
    handler: 'dept-city-management',
    deadlines: ordinary,
  },
  {
    id: 'greening',
    name: '绿化',
    kinds: ['complaint', 'help', 'suggestion'],
    defaultUrgency: 'normal',
    handler: 'dept-landscaping',
    deadlines: ordinary,
  },
  {
    id: 'pollution-discharge',
    name: '违法排污',
    kinds: ['report', 'complaint'],
    defaultUrgency: 'normal',
    handler: 'dept-ecology',
    deadlines: ordinary,
    enforcementOrMediation: true,
  },
  {
    id: 'drainage',
    name: '排水',
    kinds: ['help', 'complaint', 'report'],
    defaultUrgency: 'normal',
    handler: 'dept-water',
    coUnits: ['locality'],
    deadlines: ordinary,
  },
  // Utilities: natural-time limits.
  {
    id: 'heating',
    name: '供暖',
    kinds: ['complaint', 'help', 'consultation'],
    defaultUrgency: 'urgent',
    handler: 'dept-heating-company',
    deadlines: utility,
    knowledgeAnswer:
      '本市供暖期为每年11月15日至次年3月15日，供暖期内卧室、起居室温度应不低于18℃；室温不达标可申请入户测温。',
  },
  {
    id: 'water-supply',
    name: '供水',
    kinds: ['help', 'complaint', 'consultation'],
    defaultUrgency: 'urgent',
    handler: 'dept-water-company',
    deadlines: utility,
    knowledgeAnswer: '计划停水信息会提前在小区及自来水集团网站公告；水费可通过营业厅、网上营业厅或银行代缴缴纳。',
  },
  {
    id: 'power-supply',
    name: '供电',
    kinds: ['help', 'complaint', 'consultation'],
    defaultUrgency: 'urgent',
    handler: 'dept-power-company',
    deadlines: utility,
    knowledgeAnswer: '计划停电信息可在供电公司网站和服务号查询；故障报修可拨打供电服务热线95598。',
  },
  {
    id: 'gas-supply',
    name: '燃气',
    kinds: ['help', 'complaint', 'consultation'],
    defaultUrgency: 'urgent',
    handler: 'dept-gas-company',
    deadlines: utility,
    knowledgeAnswer:
      '闻到燃气异味请立即关闭燃气阀门、开窗通风，不要开关电器，到室外拨打燃气抢修电话；燃气费可通过营业厅或线上渠道缴纳。',
  },
  // Transport.
  {
    id: 'road-damage',
    name: '道路破损',
    kinds: ['report', 'help', 'complaint'],
    defaultUrgency: 'normal',
    handler: 'dept-transport',
    deadlines: ordinary,
  },
  {
    id: 'shared-bikes',
    name: '共享单车',
    kinds: ['complaint', 'suggestion'],
    defaultUrgency: 'normal',
    handler: 'dept-transport',
    coUnits: ['locality'],
    deadlines: ordinary,
  },
  {
    id: 'bus-service',
    name: '公交服务',
    kinds: ['complaint', 'suggestion', 'consultation'],
    defaultUrgency: 'normal',
    handler: 'dept-transport',
    deadlines: ordinary,
    knowledgeAnswer: '公交线路、首末班时间和实时到站信息可通过公交集团服务热线或官方出行App查询。',
  },
  // Market regulation.
  {
    id: 'food-safety',
    name: '食品安全',
    kinds: ['report', 'complaint'],
    defaultUrgency: 'normal',
    handler: 'dept-market-regulation',
    deadlines: ordinary,
  },
  {
    id: 'consumer-disputes',
    name: '消费纠纷',
    kinds: ['complaint', 'help'],
    defaultUrgency: 'normal',
    handler: 'dept-market-regulation',
    deadlines: ordinary,
    enforcementOrMediation: true,
  },
  // Public security (non-emergency).
  {
    id: 'dog-keeping',
    name: '养犬管理',
    kinds: ['complaint', 'report', 'consultation'],
    defaultUrgency: 'normal',
    handler: 'dept-public-security',
    coUnits: ['locality'],
    deadlines: ordinary,
    enforcementOrMediation: true,
    knowledgeAnswer: '在本市养犬须到居住地公安派出所办理养犬登记并按期年检；携犬出户应束犬链，并及时清理犬只粪便。',
  },
  {
    id: 'household-registration',
    name: '户籍办理',
    kinds: ['consultation', 'complaint'],
    defaultUrgency: 'normal',
    handler: 'dept-public-security',
    deadlines: ordinary,
    knowledgeAnswer: '户口迁移、居民身份证办理等业务可到户籍所在地派出所办理，或通过公安政务服务平台预约。',
  },
  // Labour, social security, health, education, civil affairs.
  {
    id: 'wage-arrears',
    name: '拖欠工资',
    kinds: ['help', 'complaint', 'report'],
    defaultUrgency: 'normal',
    handler: 'dept-human-resources',
    deadlines: complex,
    enforcementOrMediation: true,
  },
  {
    id: 'pension-insurance',
    name: '养老保险',
    kinds: ['consultation'],
    defaultUrgency: 'normal',
    handler: 'dept-human-resources',
    deadlines: ordinary,
    knowledgeAnswer:
      '城镇职工基本养老保险累计缴费满15年、达到法定退休年龄后可按月领取养老金；缴费记录可通过社保服务平台查询。',
  },
  {
    id: 'medical-services',
    name: '医疗服务',
    kinds: ['complaint', 'consultation', 'suggestion'],
    defaultUrgency: 'normal',
    handler: 'dept-health',
    deadlines: ordinary,
    knowledgeAnswer:
      '预约挂号可通过全市统一预约挂号平台或医院官方渠道办理；对医疗服务有异议，可先向医院患者服务中心反映。',
  },
  {
    id: 'medical-insurance',
    name: '医保报销',
    kinds: ['consultation', 'complaint'],
    defaultUrgency: 'normal',
    handler: 'dept-healthcare-security',
    deadlines: ordinary,
    knowledgeAnswer: '参保人员在定点医疗机构就医可凭医保电子凭证或社保卡直接结算；异地就医须先办理备案。',
  },
  {
    id: 'school-enrollment',
    name: '入学咨询',
    kinds: ['consultation', 'complaint'],
    defaultUrgency: 'normal',
    handler: 'dept-education',
    deadlines: ordinary,
    knowledgeAnswer:
      '义务教育阶段按户籍和实际居住地划片就近入学，每年5月起在区教委入学服务平台进行信息采集；划片范围以区教委公布为准。',
  },
  {
    id: 'elderly-care',
    name: '养老服务',
    kinds: ['consultation', 'help', 'complaint'],
    defaultUrgency: 'normal',
    handler: 'dept-civil-affairs',
    coUnits: ['locality'],
    deadlines: ordinary,
    knowledgeAnswer:
      '年满60周岁的本市户籍老人可申领养老助残卡；居家养老、老年助餐等服务可向所在街道（乡镇）的养老服务驿站咨询。',
  },
  {
    id: 'social-assistance',
    name: '社会救助',
    kinds: ['help', 'consultation'],
    defaultUrgency: 'normal',
    handler: 'dept-civil-affairs',
    coUnits: ['locality'],
    deadlines: ordinary,
    knowledgeAnswer: '最低生活保障向户籍所在地街道（乡镇）提出申请，经审核确认后按月发放；遇突发困难可申请临时救助。',
  },
];

/** Id of the demo routing catalogue. */
export const DEMO_CATALOGUE_ID = 'demo';

/**
 * Builds and validates the demo routing catalogue 示范市派单目录 against the demo city.
 *
 * @throws RoutingError `invalid-catalogue` if the table above is ever edited into an invalid catalogue.
 */
export function buildDemoCatalogue(): RoutingCatalogue {
  return buildRoutingCatalogue(
    { id: DEMO_CATALOGUE_ID, version: '1', name: '示范市派单目录', categories: CATEGORIES },
    DEMO_CITY,
  );
}

/** The demo routing catalogue, validated and frozen: 40 categories over the demo city's departments and localities. */
export const DEMO_CATALOGUE: RoutingCatalogue = buildDemoCatalogue();
