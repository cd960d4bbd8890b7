// An audit entry's detail in the reader's language. The API records what each command carried as the
// service worded it (api/*.ts set res.locals.auditDetail: codes and numbers inside English sentences, a
// refusal's English message); the console words each action's facts itself. Free text people typed
// (reasons, names) stays as written. What the console cannot word — a refusal's message, an error, a
// detail of a shape it does not know — is kept as the server wrote it, as the secondary line.
import type { TFunction } from 'i18next';
import type { AuditAction } from '../../domain/audit-actions';
import { fieldLabel } from './error-text';
import { postLabel } from './directory-view';

export interface AuditDetailLines {
  /** The detail in the reader's language, when the console knows its shape. */
  main?: string;
  /** The server's own words, when they say more than the main line. */
  server?: string;
}

const DAY = '(\\d{4}-\\d{2}-\\d{2})';
const CODE = /^[a-z]+(?:-[a-z]+)*$/;
const BATCH = '(calendar|directory|renotify|reset|withdraw)';

/** A code by its label under `prefix`, or undefined when the console has no label for it. */
function label(prefix: string, code: string | undefined, t: TFunction): string | undefined {
  if (code === undefined || !CODE.test(code)) return undefined;
  return t(`${prefix}.${code}`, { defaultValue: '' }) || undefined;
}

function accepted(action: AuditAction | null, detail: string, t: TFunction): string | undefined {
  let m: RegExpExecArray | null;
  switch (action) {
    case 'reset':
      // api/operations-repairs.ts: "reset[ to event <id>]: <reason>".
      if ((m = /^reset(?: to event (\d+))?: (.*)$/s.exec(detail))) {
        return m[1] ? t('audit.details.resetTo', { event: m[1], reason: m[2] }) : t('audit.details.reset', { reason: m[2] });
      }
      break;
    case 'reconcile': {
      // api/operations.ts: "reconcile: <outcome> (Temporal: <status>); reason: <reason>".
      if ((m = /^reconcile: ([a-z-]+) \(Temporal: (.*?)\); reason: (.*)$/s.exec(detail))) {
        const outcome = label('audit.details.reconciled', m[1], t);
        if (outcome) return t('audit.details.reconcile', { outcome, temporal: m[2], reason: m[3] });
      }
      break;
    }
    case 'batch': {
      // api/operations-repairs.ts: "batch <id> <action> on <n> project(s) (max <max>): <reason>".
      if ((m = new RegExp(`^batch (\\S+) ${BATCH} on (\\d+) project\\(s\\) \\(max (\\d+)\\): (.*)$`, 's').exec(detail))) {
        return t('audit.details.batch', { id: m[1], action: t(`audit.details.batchAction.${m[2]}`), count: Number(m[3]), max: m[4], reason: m[5] });
      }
      break;
    }
    case 'push-retry': {
      // api/projects.ts: "retry push to <company>: <reason>".
      if ((m = /^retry push to (\S+): (.*)$/s.exec(detail))) {
        const company = label('party', m[1], t);
        if (company) return t('audit.details.pushRetry', { company, reason: m[2] });
      }
      break;
    }
    case 'reminder': {
      // api/projects.ts: "remind the parties pending on <stage>: <reason>".
      if ((m = /^remind the parties pending on (\S+): (.*)$/s.exec(detail))) {
        const stage = label('stage', m[1], t);
        if (stage) return t('audit.details.reminder', { stage, reason: m[2] });
      }
      break;
    }
    case 'notice-read':
    case 'notice-acknowledge': {
      // api/inbox.ts: "<read|acknowledged> notice <id> (<kind>[, project <id>])".
      if ((m = /^(read|acknowledged) notice (\S+) \(([a-z]+)(?:, project \S+)?\)$/.exec(detail))) {
        const kind = label('inbox.kind', m[3], t);
        if (kind) return t(m[1] === 'read' ? 'audit.details.noticeRead' : 'audit.details.noticeAcknowledged', { notice: m[2], kind });
      }
      break;
    }
    case 'directory': {
      // api/directory.ts: "directory <post> version <n>: <before> → <after>[; reason: <reason>]" (names as
      // "name <e-mail>", joined by ", "; "nobody" for an empty post).
      if ((m = /^directory (\S+) version (\d+): (.*?) → (.*?)(?:; reason: (.*))?$/s.exec(detail))) {
        const people = (names: string) => (names === 'nobody' ? t('audit.details.nobody') : names);
        const said = t('audit.details.directory', { post: postLabel(m[1] as string, t), version: m[2], before: people(m[3] as string), after: people(m[4] as string) });
        return m[5] === undefined ? said : `${said}${t('separator.items')}${t('audit.details.reason', { reason: m[5] })}`;
      }
      break;
    }
    case 'fee-assessment':
      // api/waivers.ts: "assessed <item> at <amount> yuan".
      if ((m = /^assessed (\S+) at (\S+) yuan$/.exec(detail))) return t('audit.details.assessed', { item: m[1], amount: m[2] });
      break;
    case 'campaign-declared':
      // api/campaigns.ts: "declared campaign <name> (start <date>) with <n> projects".
      if ((m = new RegExp(`^declared campaign (.+) \\(start ${DAY}\\) with (\\d+) projects$`, 's').exec(detail))) {
        return t('audit.details.campaignDeclared', { name: m[1], startDate: m[2], count: Number(m[3]) });
      }
      break;
    case 'campaign-changed': {
      // api/campaigns.ts: "campaign <name>: name <new>; start <date>; added <ids>; removed <ids>" (each if changed).
      if ((m = /^campaign (.+?): ((?:name|start|added|removed) .*)$/s.exec(detail))) {
        const changes = (m[2] as string).split('; ').map((part) => {
          const [, what, value = ''] = /^(name|start|added|removed) (.*)$/s.exec(part) ?? [];
          if (what === 'name') return t('audit.details.campaignRenamed', { name: value });
          if (what === 'start' && new RegExp(`^${DAY}$`).test(value)) return t('audit.details.campaignMoved', { startDate: value });
          if (what === 'added' || what === 'removed') return t(`audit.details.campaign${what === 'added' ? 'Added' : 'Removed'}`, { count: value.split(' ').length });
          return undefined;
        });
        if (changes.every((c) => c !== undefined)) return t('audit.details.campaignChanged', { name: m[1], changes: changes.join(t('separator.items')) });
      }
      break;
    }
    case 'replay':
      // api/operations-replay.ts: "compatible", or "incompatible: [#<event> <TYPE>[ (…)]: ]<error>".
      if (detail === 'compatible') return t('audit.details.compatible');
      break;
  }
  return undefined;
}

/** The detail of an audit entry (GET /api/audit) as the reader reads it; nothing for an entry without one. */
export function auditDetail(entry: { action: AuditAction | null; outcome: string; detail: string | null }, t: TFunction): AuditDetailLines {
  const { detail, action, outcome } = entry;
  if (detail === null || detail === '') return {};
  const server = t('audit.details.serverSaid', { message: detail });
  if (outcome === 'accepted') {
    const main = accepted(action, detail, t);
    if (main !== undefined) return { main };
    // A replay found the code incompatible: the event in our words, the replayer's error as it said it.
    const m = action === 'replay' ? /^incompatible: (?:#(\d+) [A-Z_]+(?: \([^)]*\))?: )?/.exec(detail) : null;
    if (m) return { main: m[1] ? t('audit.details.incompatibleAt', { event: m[1] }) : t('audit.details.incompatible'), server };
    return { server };
  }
  // An invalid request (api/errors.ts `parse`: "invalid body.reason, body.agent"): its fields by the console's labels.
  const invalid = outcome === 'invalid' ? /^invalid ((?:body|query|params|headers)[\w.]*(?:, (?:body|query|params|headers)[\w.]*)*)$/.exec(detail) : null;
  if (invalid) {
    const fields = [...new Set((invalid[1] as string).split(', ').map((path) => fieldLabel(path, t)))];
    return { main: t('error.check', { fields: fields.join(t('separator.list')) }) };
  }
  // A refusal, a missing thing, an error: the outcome column says which; the server's words say why.
  return { server };
}
