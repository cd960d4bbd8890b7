// What a notice says, in the reader's language: the workflow and activities give each notice a message
// (what happened, with its facts); it is put into words when a person reads it — in the inbox, an e-mail,
// a webhook — in Chinese by default, in English for those who chose it. Plain functions: safe in the
// workflow sandbox, where the messages are made.
import type { Decision, Locality, Party, Stage, Utility } from './codes';
import type { Cadence, Tier } from './policy';

export const NOTICE_LANGUAGES = ['zh', 'en'] as const;

/** What a notice is about, as the inbox filters and people choose channels by. */
export const NOTICE_KINDS = ['report', 'escalation', 'correction', 'reminder', 'push', 'digest', 'held', 'notice'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export type NoticeLanguage = (typeof NOTICE_LANGUAGES)[number];

/** The project a notice is about, as people know it: by name and locality. */
export interface ProjectRef {
  id: string;
  name: string;
  locality: Locality;
}

/** What a stage attempt's clock counts from (domain/project.ts noticeClock): the deadline is worked out
 *  with the working-day calendar when the notice is sent. */
export interface NoticeClock {
  submittedAt: string;
  pauses: { from: string; to?: string }[];
  limitDays: number;
}

/** The time limit as it stood when the notice was sent, in working days. */
export interface NoticeDue {
  deadline: string;
  limitDays: number;
  usedDays: number;
  /** Working days left (negative: over the limit by that many). */
  remainingDays: number;
  paused: boolean;
}

export type NoticeMessage =
  | { t: 'sign-off-requested'; stage: Stage; attempt: number; clock?: NoticeClock }
  | { t: 'proxy-recorded'; stage: Stage; party: Party; decision: Decision; by: string; reference: string }
  | { t: 'correction-requested'; stage: Stage; party: Party; items: string[]; clock?: NoticeClock }
  | { t: 'rejected'; stage: Stage; attempt: number; party: Party }
  | { t: 'stage-approved'; stage: Stage; next: Stage | null; opened: boolean }
  | { t: 'supplement-received'; stage: Stage; clock?: NoticeClock }
  | { t: 'withdrawn'; signOffCancelled: boolean }
  | { t: 'push-resent'; company: Utility; by: string; reason: string }
  | { t: 'push-delivered'; company: Utility; retries: number }
  | { t: 'push-failed'; company: Utility; error: string; again: boolean }
  | { t: 'agent-assigned' }
  | { t: 'agent-released'; next: string | null }
  | { t: 'cadence'; cadence: Cadence }
  | { t: 'green-channel' }
  | { t: 'campaign'; campaign: string; startDate: string; change: 'joined' | 'changed' | 'left' | 'started'; cadence: Cadence }
  | { t: 'held'; action: string; refused: string | null }
  | { t: 'escalation'; stage: Stage; attempt: number; party: Party; tier: Tier; pendingDays: number }
  | { t: 'reminder'; stage: Stage; attempt: number; parties: Party[]; reason: string }
  | {
      t: 'report';
      seq: number;
      cadence: Cadence;
      stage: Stage | null;
      stageStatus: string;
      pending: { party: Party; days: number }[];
      workingDays: boolean;
      openCorrections: number;
      escalations: number;
      nextReportAt: string | null;
    };

/** A notice as it is sent: its message, the project, and the time limit worked out at sending. */
export interface NoticeContent {
  message: NoticeMessage;
  project?: ProjectRef;
  due?: NoticeDue;
}

const LOCALITY: Record<Locality, [string, string]> = {
  shihua: ['石化街道', 'Shihua Subdistrict'],
  zhujing: ['朱泾镇', 'Zhujing'],
  fengjing: ['枫泾镇', 'Fengjing'],
  zhangyan: ['张堰镇', 'Zhangyan'],
  tinglin: ['亭林镇', 'Tinglin'],
  lvxiang: ['吕巷镇', 'Lvxiang'],
  langxia: ['廊下镇', 'Langxia'],
  jinshanwei: ['金山卫镇', 'Jinshanwei'],
  caojing: ['漕泾镇', 'Caojing'],
  shanyang: ['山阳镇', 'Shanyang'],
  'industrial-zone': ['金山工业区', 'Jinshan Industrial Zone'],
};

const STAGE: Record<Stage, [string, string]> = {
  design: ['设计方案审查', 'design scheme review'],
  permit: ['施工许可', 'construction permit'],
  acceptance: ['竣工验收', 'completion acceptance'],
  connection: ['市政接入', 'utility connection'],
};

const PARTY: Record<Party, [string, string]> = {
  planning: ['区规划资源局', 'Planning and Resources Bureau'],
  construction: ['区建管委', 'Construction Commission'],
  water: ['区水务局', 'Water Affairs Bureau'],
  'civil-defense': ['区民防办', 'Civil Defence Office'],
  greening: ['区绿化市容局', 'Greening and City Appearance Bureau'],
  archives: ['城建档案馆', 'Urban Construction Archives'],
  power: ['供电公司', 'the power company'],
  'water-supply': ['供水公司', 'the water supply company'],
  gas: ['燃气公司', 'the gas company'],
  drainage: ['排水公司', 'the drainage company'],
  telecom: ['通信公司', 'the telecom company'],
};

const TIER: Record<Tier, [string, string]> = {
  liaison: ['联络员', 'liaison'],
  deputy: ['分管领导', 'deputy leader'],
  main: ['主要领导', 'main leader'],
};

const DECISION: Record<Decision, [string, string]> = {
  approve: ['通过', 'approval'],
  reject: ['不予通过', 'rejection'],
  correction: ['补正', 'correction'],
};

const CADENCE: Record<Cadence, [string, string]> = { biweekly: ['每两周', 'every two weeks'], weekly: ['每周', 'weekly'] };

const STATUS: Record<string, [string, string]> = {
  'not-open': ['未开始', 'not open'],
  'awaiting-application': ['待申报', 'awaiting application'],
  'under-review': ['审查中', 'under review'],
  correction: ['补正中', 'awaiting correction'],
  rejected: ['不予通过', 'rejected'],
  approved: ['已通过', 'approved'],
  withdrawn: ['已撤回', 'withdrawn'],
  completed: ['已办结', 'completed'],
  terminated: ['已终止', 'terminated'],
};

export const localityName = (l: Locality, lang: NoticeLanguage = 'zh'): string => LOCALITY[l][lang === 'zh' ? 0 : 1];
export const stageName = (s: Stage, lang: NoticeLanguage = 'zh'): string => STAGE[s][lang === 'zh' ? 0 : 1];
export const partyName = (p: Party, lang: NoticeLanguage = 'zh'): string => PARTY[p][lang === 'zh' ? 0 : 1];

/** Subject line, the lines of the body, and where in the console the project is. */
export interface RenderedNotice {
  subject: string;
  lines: string[];
  link: string | null;
}

/** The facts of a message as words; each language has the same facts. */
function say(m: NoticeMessage, lang: NoticeLanguage): { what: string; ask?: string } {
  const zh = lang === 'zh';
  const pick = <T extends string>(table: Record<T, [string, string]>, key: T) => table[key]?.[zh ? 0 : 1] ?? key;
  const stage = (s: Stage) => pick(STAGE, s);
  const party = (p: Party) => pick(PARTY, p);
  switch (m.t) {
    case 'sign-off-requested':
      return zh
        ? { what: `${stage(m.stage)}（第 ${m.attempt} 次申报）待您签署`, ask: '请审查并签署意见（通过、不予通过或一次性告知补正）。' }
        : { what: `${stage(m.stage)} (application ${m.attempt}) awaits your sign-off`, ask: 'Please review and sign off: approve, reject, or ask for every correction at once.' };
    case 'proxy-recorded':
      return zh
        ? { what: `${m.by} 已代录贵单位对${stage(m.stage)}的${pick(DECISION, m.decision)}意见（凭证 ${m.reference}）`, ask: '如有异议请联系综合窗口。' }
        : { what: `${m.by} recorded your ${pick(DECISION, m.decision)} of the ${stage(m.stage)} on your behalf (reference ${m.reference})`, ask: 'Tell the window if this is not right.' };
    case 'correction-requested':
      return zh
        ? { what: `${party(m.party)}要求补正${stage(m.stage)}，审查计时暂停`, ask: `请一次性收齐补正材料：${m.items.join('；')}。` }
        : { what: `${party(m.party)} asks for a correction of the ${stage(m.stage)}; the clock is paused`, ask: `Collect every missing item at once: ${m.items.join('; ')}.` };
    case 'rejected':
      return zh ? { what: `${stage(m.stage)}第 ${m.attempt} 次申报未获${party(m.party)}通过`, ask: '可修改后重新申报。' } : { what: `${party(m.party)} rejected the ${stage(m.stage)} (application ${m.attempt})`, ask: 'The applicant may apply again.' };
    case 'stage-approved':
      if (m.next === null) return zh ? { what: '全部阶段已通过，项目办结' } : { what: 'every stage is approved; the project is completed' };
      if (m.opened) return zh ? { what: `${stage(m.stage)}已通过，${stage(m.next)}已自动开启` } : { what: `the ${stage(m.stage)} is approved; the ${stage(m.next)} opened on its own` };
      return zh ? { what: `${stage(m.stage)}已通过`, ask: `可申报${stage(m.next)}。` } : { what: `the ${stage(m.stage)} is approved`, ask: `The ${stage(m.next)} may be applied for.` };
    case 'supplement-received':
      return zh ? { what: `${stage(m.stage)}补正材料已收齐，恢复审查计时`, ask: '请继续审查。' } : { what: `the correction of the ${stage(m.stage)} is supplemented; the clock runs again`, ask: 'Please resume the review.' };
    case 'withdrawn':
      return zh ? { what: m.signOffCancelled ? '项目已撤回，无需签署' : '项目已撤回' } : { what: m.signOffCancelled ? 'the project is withdrawn; no sign-off is needed' : 'the project is withdrawn' };
    case 'push-resent':
      return zh ? { what: `${m.by} 已重新推送至${party(m.company)}（${m.reason}）` } : { what: `${m.by} sent the push to ${party(m.company)} again (${m.reason})` };
    case 'push-delivered':
      return zh ? { what: `市政接入推送至${party(m.company)}已送达（第 ${m.retries} 次重试）` } : { what: `the push to ${party(m.company)} was delivered on retry ${m.retries}` };
    case 'push-failed':
      return zh
        ? { what: `市政接入推送至${party(m.company)}${m.again ? '再次' : ''}失败：${m.error}`, ask: '请联系该公司，或在运维页面重新推送。' }
        : { what: `the push to ${party(m.company)} failed${m.again ? ' again' : ''}: ${m.error}`, ask: 'Contact the company, or send the push again from operations.' };
    case 'agent-assigned':
      return zh ? { what: '您已成为本项目代办员', ask: '请跟进项目进度，按期接收进度报告。' } : { what: 'you now follow this project as its agent', ask: 'Follow its progress; its reports come to you.' };
    case 'agent-released':
      return zh ? { what: `本项目已改由 ${m.next ?? '代办服务总站'} 代办` } : { what: `you no longer follow this project (now ${m.next ?? 'the agent station'})` };
    case 'cadence':
      return zh ? { what: `进度报告改为${pick(CADENCE, m.cadence)}一报` } : { what: `progress reports now come ${pick(CADENCE, m.cadence)}` };
    case 'campaign': {
      const change = zh
        ? { joined: `已纳入集中开工「${m.campaign}」（${m.startDate} 开工）`, changed: `集中开工「${m.campaign}」改为 ${m.startDate} 开工`, left: `已移出集中开工「${m.campaign}」`, started: `集中开工「${m.campaign}」已于 ${m.startDate} 开工` }[m.change]
        : { joined: `joined the construction-start campaign ${m.campaign} (starting ${m.startDate})`, changed: `campaign ${m.campaign} now starts ${m.startDate}`, left: `left campaign ${m.campaign}`, started: `campaign ${m.campaign} started on ${m.startDate}` }[m.change];
      return zh ? { what: `${change}；进度报告${pick(CADENCE, m.cadence)}一报` } : { what: `${change}; progress reports now come ${pick(CADENCE, m.cadence)}` };
    }
    case 'green-channel':
      return zh ? { what: '项目已纳入绿色通道，您为专职代办员' } : { what: 'the project is on the green channel; you are its dedicated agent' };
    case 'held':
      return m.refused === null
        ? zh ? { what: `您在项目暂停期间提交的操作（${m.action}）已生效` } : { what: `your ${m.action}, sent while the project was not making progress, has been applied` }
        : zh ? { what: `您在项目暂停期间提交的操作（${m.action}）未被受理：${m.refused}` } : { what: `your ${m.action}, sent while the project was not making progress, was refused: ${m.refused}` };
    case 'escalation':
      return zh
        ? { what: `${party(m.party)}已 ${m.pendingDays} 个工作日未签署${stage(m.stage)}（第 ${m.attempt} 次申报），提级至${pick(TIER, m.tier)}`, ask: '请督促签署，并在待办中确认已接手。' }
        : { what: `${party(m.party)} has not signed the ${stage(m.stage)} (application ${m.attempt}) for ${m.pendingDays} working days — escalated to the ${pick(TIER, m.tier)}`, ask: 'Please see that it is signed, and acknowledge in your inbox that you took charge.' };
    case 'reminder':
      return zh
        ? { what: `催办：${m.parties.map(party).join('、')}尚未签署${stage(m.stage)}（第 ${m.attempt} 次申报）`, ask: `${m.reason}` }
        : { what: `reminder: ${m.parties.map(party).join(', ')} still to sign the ${stage(m.stage)} (application ${m.attempt})`, ask: m.reason };
    case 'report': {
      const unit = m.workingDays ? (zh ? ' 个工作日' : ' working days') : zh ? ' 天' : ' days';
      const pending = m.pending.map((p) => `${party(p.party)} ${p.days}${unit}`).join(zh ? '、' : ', ') || (zh ? '无' : 'none');
      const where = m.stage ? `${stage(m.stage)} ${pick(STATUS, m.stageStatus)}` : pick(STATUS, m.stageStatus);
      return zh
        ? { what: `第 ${m.seq} 期进度报告（${pick(CADENCE, m.cadence)}）：${where}`, ask: `待签署：${pending}；未完成补正 ${m.openCorrections} 项；提级 ${m.escalations} 次；下期报告 ${m.nextReportAt ? m.nextReportAt.slice(0, 10) : '无'}。` }
        : { what: `progress report ${m.seq} (${pick(CADENCE, m.cadence)}): ${where}`, ask: `Pending: ${pending}; open corrections: ${m.openCorrections}; escalations: ${m.escalations}; next report: ${m.nextReportAt ? m.nextReportAt.slice(0, 10) : 'none'}.` };
    }
  }
}

function dueLine(due: NoticeDue, lang: NoticeLanguage): string {
  if (lang === 'zh') {
    const left = due.remainingDays >= 0 ? `剩余 ${due.remainingDays} 个工作日` : `已超期 ${-due.remainingDays} 个工作日`;
    return `时限：${due.limitDays} 个工作日，已用 ${due.usedDays} 个，截止 ${due.deadline}（${left}${due.paused ? '，补正期间暂停计时' : ''}）`;
  }
  const left = due.remainingDays >= 0 ? `${due.remainingDays} working days left` : `${-due.remainingDays} working days over`;
  return `Time limit: ${due.limitDays} working days, ${due.usedDays} used, due ${due.deadline} (${left}${due.paused ? '; paused for the correction' : ''})`;
}

/**
 * The notice in words. `consoleUrl` is where people open the console (PUBLIC_URL); the link goes to
 * the project's page there.
 */
export function renderNotice(content: NoticeContent, lang: NoticeLanguage, consoleUrl?: string): RenderedNotice {
  const zh = lang === 'zh';
  const { what, ask } = say(content.message, lang);
  const p = content.project;
  const label = p ? (zh ? `${p.name}（${localityName(p.locality, lang)}）` : `${p.name} (${localityName(p.locality, lang)})`) : '';
  const link = p && consoleUrl ? `${consoleUrl.replace(/\/+$/, '')}/projects/${p.id}` : null;
  const lines = [
    ...(p ? [zh ? `项目：${label}` : `Project: ${label}`] : []),
    zh ? `事项：${what}` : `What: ${what}`,
    ...(ask ? [zh ? `请办理：${ask}` : `Asked: ${ask}`] : []),
    ...(content.due ? [dueLine(content.due, lang)] : []),
    ...(link ? [zh ? `查看项目：${link}` : `Open the project: ${link}`] : []),
  ];
  const prefix = zh ? '【一口受理】' : '[One Window] ';
  return { subject: p ? `${prefix}${label}${zh ? '：' : ': '}${what}` : `${prefix}${what}`, lines, link };
}
