// The sign-off's view logic, without a browser: who sees 代录 (an admin, for the parties still pending on
// an open project, nobody else), the request the dialog sends for one's own party and for a proxy, and how
// a recorded proxy reads in both languages (the sign-off list's note and the trail's entry).
import i18next from 'i18next';
import type { Schemas, StageView } from '../web/src/api/types';
import { en } from '../web/src/i18n/en';
import { zhCN } from '../web/src/i18n/zh-CN';
import { proxyNote, proxyParties, signOffBody } from '../web/src/sign-off';
import { trailDetail } from '../web/src/trail';

const stage = { stage: 'design', status: 'under-review', parties: ['planning', 'construction', 'water'], pendingParties: ['construction', 'water'] } as StageView;

async function i18n(lng: string) {
  const instance = i18next.createInstance();
  await instance.init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng, interpolation: { escapeValue: false } });
  return instance.t;
}

test('代录 is offered to an admin alone, for each party still pending while the project is open', () => {
  expect(proxyParties('admin', true, stage)).toEqual(['construction', 'water']);
  for (const role of ['reviewer', 'utility', 'window', 'leader', 'agent', undefined]) expect(proxyParties(role, true, stage)).toEqual([]);
  expect(proxyParties('admin', false, stage)).toEqual([]);
  expect(proxyParties('admin', true, undefined)).toEqual([]);
  expect(proxyParties('admin', true, { ...stage, status: 'approved', pendingParties: [] })).toEqual([]);
});

test("the dialog's request: one's own party sends no party and no proxy; a proxy names the party, its document and the reason, trimmed", () => {
  expect(signOffBody({ decision: 'approve', comment: '  ', reference: 'x', reason: 'y' })).toEqual({ decision: 'approve' });
  expect(signOffBody({ decision: 'reject', comment: ' 不符合规划 ' })).toEqual({ decision: 'reject', comment: '不符合规划' });
  expect(signOffBody({ decision: 'approve', comment: '同意', reference: ' 规划〔2026〕12号 ', reason: ' 书面意见已送达 ' }, 'planning')).toEqual({
    decision: 'approve',
    comment: '同意',
    party: 'planning',
    proxy: { reference: '规划〔2026〕12号', reason: '书面意见已送达' },
  });
  expect(signOffBody({ decision: 'correction', items: [' 日照分析 ', '消防意见'], reference: 'R', reason: 'S' }, 'water')).toEqual({
    decision: 'correction',
    items: ['日照分析', '消防意见'],
    party: 'water',
    proxy: { reference: 'R', reason: 'S' },
  });
});

test('a recorded proxy reads with who recorded it, its basis and its reason, in both languages', async () => {
  const [zh, english] = [await i18n('zh-CN'), await i18n('en')];
  const proxy = { reference: '规划〔2026〕12号', reason: '书面意见已送达' };
  expect(proxyNote(proxy, zh)).toBe('依据：规划〔2026〕12号；原因：书面意见已送达');
  expect(proxyNote(proxy, english)).toBe('Basis: 规划〔2026〕12号; reason: 书面意见已送达');
  // The trail's detail names the admin by id (domain/project.ts); the entry's actor gives the name.
  const entry = (by: Schemas['TrailEntry']['by']) => ({ seq: 3, at: '2026-11-02T00:00:00Z', by, action: 'sign-off' as const, party: 'planning' as const, detail: 'reject (代录 proxy by admin-01, ref 规划〔2026〕12号: 书面意见已送达)' });
  const admin = { id: 'admin-01', name: '管理员 王磊', role: 'admin' as const };
  expect(trailDetail(entry(admin), zh)).toBe('不同意（管理员 王磊 代录，依据：规划〔2026〕12号，原因：书面意见已送达）');
  expect(trailDetail(entry(admin), english)).toBe("Reject (recorded by 管理员 王磊 on the party's behalf, basis: 规划〔2026〕12号, reason: 书面意见已送达)");
  // A detail naming someone other than the entry's actor keeps the id it names.
  expect(trailDetail(entry({ id: 'admin-02', role: 'admin' }), zh)).toBe('不同意（admin-01 代录，依据：规划〔2026〕12号，原因：书面意见已送达）');
});
