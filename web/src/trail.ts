// The trail in the reader's language: the API records each entry's detail as the service worded it
// (codes, and English sentences around the facts); the console words each from its action and facts.
// Free text (reasons, comments, names) stays as written; a detail of a shape this console does not know
// is shown as recorded.
import type { TFunction } from 'i18next';
import type { Schemas } from './api/types';
import { dateTime } from './format';

type TrailEntry = Schemas['TrailEntry'];
const DECISION = /^(approve|reject|correction)$/;
// domain/project.ts applySignOff: "<decision> (代录 proxy by <id>, ref <reference>: <reason>)".
const PROXY = /^(approve|reject|correction) \(代录 proxy by (\S+), ref (.*?): (.*)\)$/s;
const PARTY = /^[a-z]+(?:-[a-z]+)*$/;
const DAY = '(\\d{4}-\\d{2}-\\d{2})';

/** Party codes as names; undefined when one is not a party this console knows. */
function parties(codes: string[], t: TFunction): string | undefined {
  if (codes.some((c) => !PARTY.test(c) || t(`party.${c}`, { defaultValue: '' }) === '')) return undefined;
  return codes.map((c) => t(`party.${c}`)).join(t('separator.list'));
}

export function trailDetail(entry: TrailEntry, t: TFunction): string | undefined {
  const { detail } = entry;
  if (detail === undefined) return undefined;
  let m: RegExpExecArray | null;
  switch (entry.action) {
    case 'application':
      if ((m = /^attempt (\d+)$/.exec(detail))) return t('project.attempt', { n: Number(m[1]) });
      break;
    case 'sign-off':
      if (DECISION.test(detail)) return t(`decision.${detail}`);
      // Who recorded it by name: the entry's own actor is the admin the detail names by id.
      if ((m = PROXY.exec(detail))) return t('trail.proxy', { decision: t(`decision.${m[1]}`), by: m[2] === entry.by.id ? trailActor(entry.by, t) : m[2], reference: m[3], reason: m[4] });
      break;
    case 'report-cadence':
      if (detail === 'weekly' || detail === 'biweekly') return t(`cadence.${detail}`);
      break;
    case 'agent-assignment':
      return t('trail.agent', { agent: detail });
    case 'green-channel':
      if ((m = /^dedicated agent (.+)$/s.exec(detail))) return t('trail.greenChannel', { agent: m[1] });
      break;
    case 'push-retry':
      // domain/project.ts applyPushRetry: the previous error is the company's own words.
      if ((m = /^retry (\d+) \(previous error: (.*?)\): (.*)$/s.exec(detail))) {
        return t('trail.pushRetry', { n: Number(m[1]), error: m[2] === 'none' ? t('common.none') : m[2], reason: m[3] });
      }
      break;
    case 'reminder':
      if ((m = /^([a-z, -]+): (.*)$/s.exec(detail))) {
        const named = parties((m[1] as string).split(', '), t);
        if (named !== undefined) return t('trail.reminder', { parties: named, reason: m[2] });
      }
      break;
    case 'acknowledgement':
      // domain/project.ts applyAcknowledgement: "took charge of the <kind>[ <party>][ <tier>] (notice <id>)".
      if ((m = /^took charge of the (escalation|correction|reminder)((?: [a-z-]+)*) \(notice (\S+)\)$/.exec(detail))) {
        const [party, tier] = (m[2] as string).trim().split(' ').filter(Boolean);
        if (party !== undefined && parties([party], t) === undefined) break;
        if (tier !== undefined && t(`tier.${tier}`, { defaultValue: '' }) === '') break;
        const what = [t(`inbox.kind.${m[1]}`), party && t(`party.${party}`), tier && t(`tier.${tier}`)].filter(Boolean).join(' · ');
        return t('trail.tookCharge', { what, notice: m[3] });
      }
      break;
    case 'campaign':
      // domain/campaigns.ts: joined, moved, left, started.
      if ((m = new RegExp(`^joined campaign (.+) \\(start ${DAY}\\)$`, 's').exec(detail))) return t('trail.campaignJoined', { name: m[1], startDate: m[2] });
      if ((m = new RegExp(`^campaign (.+): start date ${DAY}$`, 's').exec(detail))) return t('trail.campaignMoved', { name: m[1], startDate: m[2] });
      if ((m = new RegExp(`^campaign (.+) started ${DAY}: reports biweekly$`, 's').exec(detail))) return t('trail.campaignStarted', { name: m[1], startDate: m[2] });
      if ((m = /^left campaign (.+)$/s.exec(detail))) return t('trail.campaignLeft', { name: m[1] });
      break;
    case 'operation':
      // operations/reset.ts through domain/project.ts applyOperationNote: "reset: to event #<id> (<TYPE>[ at
      // <ISO time>]); kept <n> signal(s) and <n> update(s) received after it (<reason>)".
      if ((m = /^reset: to event #(\d+) \(([A-Z_]+)(?: at (\S+))?\); kept (\d+) signal\(s\) and (\d+) update\(s\) received after it \((.*)\)$/s.exec(detail))) {
        const type = t(`trail.eventType.${m[2]}`, { defaultValue: m[2] });
        return t('trail.reset', { event: m[1], point: m[3] ? t('trail.eventAt', { type, at: dateTime(m[3]) }) : type, signals: Number(m[4]), updates: Number(m[5]), reason: m[6] });
      }
      break;
  }
  return detail;
}

/** Who made the entry: a person by name; a campaign's start (recorded as "集中开工 <name>") in the reader's words. */
export function trailActor(by: TrailEntry['by'], t: TFunction): string {
  if (by.id.startsWith('campaign:') && by.name?.startsWith('集中开工 ')) return t('trail.campaignActor', { name: by.name.slice('集中开工 '.length) });
  return by.name ?? by.id;
}
