import { EMERGENCY_CHANNELS, INADMISSIBLE_CHANNELS } from '../../../../libs/domain/src/intake/intake';
import type { EmergencyType, InadmissibleReason } from '../../../../libs/domain/src/intake/intake';

/*
 * What an Open311 answer tells the citizen, in the city's language: a case's status notes by stage and outcome, and
 * one public sentence per kind of case event. Fixed sentences only: the free text handlers write into a case can name
 * people, so it is never published.
 */

/** A case's `status_notes`: where it stands, from its stage and (once closed) its outcome. */
export function statusNotes(stage: string, outcome: string | null): string {
  if (outcome && OUTCOME_NOTES[outcome]) return OUTCOME_NOTES[outcome];
  return STAGE_NOTES[stage] ?? '诉求办理中';
}

const STAGE_NOTES: Record<string, string> = {
  intake: '诉求已受理，正在派单',
  'awaiting-dispatch': '诉求已受理，等待派单',
  'awaiting-sign': '已派至承办单位，等待签收',
  handling: '承办单位正在办理',
  'in-review': '承办单位已答复，12345 正在审核',
  'awaiting-callback': '已办结答复，等待回访',
  accountability: '诉求人再次不满意，已移交问责机关处理',
  closed: '诉求已办结',
};

const OUTCOME_NOTES: Record<string, string> = {
  'emergency-diverted': '紧急情况已转应急部门处置，本诉求记录在案、不再派单',
  inadmissible: '该事项不属热线受理范围，已告知应通过的渠道',
  'answered-at-intake': '咨询已当场答复',
};

/** The `service_notice` of an emergency that intake diverts (110 / 119 / 120 / 122). */
export function emergencyNotice(type: EmergencyType): string {
  const number = EMERGENCY_CHANNELS[type];
  return `紧急情况请立即拨打 ${number}。本诉求已转 ${number} 并记录在案，不派单办理。`;
}

/** The `service_notice` of an inadmissible matter: the channel the citizen should use instead. */
export function inadmissibleNotice(reason: InadmissibleReason): string {
  return `不予受理：${INADMISSIBLE_CHANNELS[reason].advice}`;
}

/**
 * The public sentence of a case event for `servicerequestupdates`, or `undefined` for events that are internal to
 * the handling (reminders, deadline bookkeeping, rule migrations) and are not published.
 */
export function updateDescription(type: string): string | undefined {
  return UPDATE_DESCRIPTIONS[type];
}

const UPDATE_DESCRIPTIONS: Record<string, string> = {
  'emergency-diverted': '紧急情况已转应急部门处置',
  inadmissible: '不予受理，已告知应通过的渠道',
  'answered-at-intake': '咨询已当场答复',
  dispatched: '已派至承办单位',
  signed: '承办单位已签收',
  returned: '承办单位申请退单，12345 重新派单中',
  'redispatch-decided': '已改派承办单位',
  contacted: '承办单位已联系诉求人',
  'extension-requested': '承办单位申请延期',
  whistled: '承办单位已“吹哨”，相关部门报到协同办理',
  'whistle-round-finished': '协同办理的部门已完成报到处置',
  'co-unit-reported': '协办单位已报告办理情况',
  escalated: '诉求已提级协调',
  'supervision-raised': '诉求已列入督办',
  suspended: '办理暂停，等待诉求人补充情况',
  resumed: '办理已恢复',
  replied: '承办单位已答复办理结果',
  rehandling: '诉求人不满意，已退回承办单位再次办理',
  'called-back': '12345 已回访诉求人',
  'callback-unreached': '12345 回访未能联系上诉求人',
  'accountability-escalated': '再次不满意，已移交问责',
  'accountability-decided': '问责机关已作出处理决定',
  'repeat-contact': '又有市民反映了同一问题',
  'linked-to-open-case': '与正在办理的同类诉求关联',
  closed: '诉求已办结',
};
