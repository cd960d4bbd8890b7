// The codes of the approval process (see shared DOMAIN.md). Plain data: safe inside the workflow sandbox.

export const STAGES = ['design', 'permit', 'acceptance', 'connection'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_NAMES: Record<Stage, string> = {
  design: '设计方案 design scheme review',
  permit: '施工许可 construction permit',
  acceptance: '竣工验收 completion acceptance',
  connection: '市政接入 utility connection',
};

export const DEPARTMENTS = ['planning', 'construction', 'water', 'civil-defense', 'greening', 'archives'] as const;
export type Department = (typeof DEPARTMENTS)[number];

export const UTILITIES = ['power', 'water-supply', 'gas', 'drainage', 'telecom'] as const;
export type Utility = (typeof UTILITIES)[number];

/** A party is whoever signs off part of a stage: a department or a utility company. */
export const PARTIES = [...DEPARTMENTS, ...UTILITIES] as const;
export type Party = Department | Utility;

export const PARTY_NAMES: Record<Party, string> = {
  planning: '区规划资源局',
  construction: '区建管委',
  water: '区水务局',
  'civil-defense': '区民防办',
  greening: '区绿化市容局',
  archives: '城建档案馆',
  power: '供电',
  'water-supply': '供水',
  gas: '燃气',
  drainage: '排水',
  telecom: '通信',
};

export const LOCALITIES = [
  'shihua',
  'zhujing',
  'fengjing',
  'zhangyan',
  'tinglin',
  'lvxiang',
  'langxia',
  'jinshanwei',
  'caojing',
  'shanyang',
  'industrial-zone',
] as const;
export type Locality = (typeof LOCALITIES)[number];

export const CATEGORIES = ['general', 'industrial', 'small'] as const;
export type Category = (typeof CATEGORIES)[number];

export const ROLES = ['window', 'reviewer', 'utility', 'agent', 'admin', 'leader'] as const;
export type Role = (typeof ROLES)[number];

export const DECISIONS = ['approve', 'reject', 'correction'] as const;
export type Decision = (typeof DECISIONS)[number];

export function isDepartment(party: string): party is Department {
  return (DEPARTMENTS as readonly string[]).includes(party);
}

export function isUtility(party: string): party is Utility {
  return (UTILITIES as readonly string[]).includes(party);
}
