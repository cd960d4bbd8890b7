// The pure rules: credit codes, who signs which stage by category, who may do what, and configuration.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLiaisons } from '../activities/liaisons';
import { loadPolicy } from '../config/policy';
import { pausedMs, pendingMs } from '../domain/long-running';
import { DAY_MS, DEFAULT_POLICY } from '../domain/policy';
import { applyApplication, applyWithdrawal, newProjectState, type Attempt } from '../domain/project';
import { ROOT, loadConfig } from '../config/env';
import { loadPrincipals, sha256 } from '../config/principals';
import { accessRefusal } from '../domain/access';
import { planFor } from '../domain/process';
import { usccCheckCharacter, usccProblem } from '../domain/uscc';
import { admin, projectInput, reviewer, utility, window } from './support/fixtures';
import { tempFile } from './support/temporal';

describe('unified social credit code', () => {
  test.each(['91350100M000100Y43', '91310000MA1FL4B24G'])('%s is valid', (code) => {
    expect(usccProblem(code)).toBeNull();
  });
  test.each([
    ['91350100M000100Y4', /18 characters/],
    ['91350100M000100Y44', /check character should be '3'/],
    ['91350100I000100Y43', /'I' is not allowed/],
  ])('%s is refused', (code, reason) => {
    expect(usccProblem(code)).toMatch(reason);
  });
  test('the check character is 0 when the weighted sum is a multiple of 31', () => {
    expect(usccCheckCharacter('00000000000000000')).toBe('0');
  });
});

describe('required parties by category', () => {
  test('general: the defaults, lead first; connection: the utilities asked for', () => {
    const plan = planFor({ category: 'general', utilities: ['gas', 'power'] });
    expect(plan.design).toEqual({ lead: 'planning', parties: ['planning', 'construction', 'water'] });
    expect(plan.permit.parties).toEqual(['construction', 'planning', 'water', 'civil-defense']);
    expect(plan.acceptance.parties).toHaveLength(6);
    expect(plan.connection).toEqual({ lead: 'construction', parties: ['gas', 'power'] });
  });
  test('industrial drops civil-defense everywhere; small gets the simplified acceptance', () => {
    const industrial = planFor({ category: 'industrial', utilities: ['power'] });
    expect(Object.values(industrial).flatMap((s) => s.parties)).not.toContain('civil-defense');
    const small = planFor({ category: 'small', utilities: ['power'] });
    expect(small.acceptance.parties).toEqual(['planning', 'construction']);
    expect(small.permit.parties).toContain('civil-defense');
  });
});

describe('access', () => {
  test('reviewers and utilities sign only for their own party; admins for any', () => {
    expect(accessRefusal(reviewer('planning'), 'sign-off', 'planning')).toBeNull();
    expect(accessRefusal(reviewer('planning'), 'sign-off', 'water')).toMatch(/planning only/);
    expect(accessRefusal(utility('power'), 'sign-off', 'gas')).toMatch(/power only/);
    expect(accessRefusal(admin, 'sign-off', 'gas')).toBeNull();
    expect(accessRefusal(window, 'sign-off', 'planning')).toMatch(/role window may not sign-off/);
  });
  test('only the window and admins register, apply, supplement and withdraw', () => {
    for (const command of ['register', 'apply', 'supplement', 'withdraw'] as const) {
      expect(accessRefusal(window, command)).toBeNull();
      expect(accessRefusal(admin, command)).toBeNull();
      expect(accessRefusal(reviewer('planning'), command)).not.toBeNull();
      expect(accessRefusal({ id: 'a', role: 'agent' }, command)).not.toBeNull();
      expect(accessRefusal({ id: 'l', role: 'leader' }, command)).not.toBeNull();
    }
  });
});

describe('configuration', () => {
  test('a bad value names the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ TEMPORAL_TLS: 'maybe' })).toThrow(/TEMPORAL_TLS/);
    const production = { NODE_ENV: 'production', LIAISONS_FILE: 'l.json', UTILITY_ENDPOINTS_FILE: 'u.json', DATABASE_URL: 'postgres://x/y' };
    expect(() => loadConfig(production)).not.toThrow();
    expect(() => loadConfig({ ...production, DEV_UTILITY_INBOX: 'true' })).toThrow(/DEV_UTILITY_INBOX is for development only/);
    expect(() => loadConfig({ ...production, DATABASE_URL: undefined })).toThrow(/DATABASE_URL is required/);
  });
  test('development principals are refused in production; hashed tokens are accepted', () => {
    expect(() => loadPrincipals({ NODE_ENV: 'production', PRINCIPALS_FILE: undefined })).toThrow(/PRINCIPALS_FILE is required/);
    const file = tempFile('principals.json');
    writeFileSync(file, JSON.stringify({ principals: [{ id: 'w1', role: 'window', tokenSha256: sha256('s3cret-token') }] }));
    const principals = loadPrincipals({ NODE_ENV: 'production', PRINCIPALS_FILE: file });
    expect(principals.authenticate('s3cret-token')).toEqual({ id: 'w1', role: 'window' });
    expect(principals.authenticate('guess')).toBeUndefined();
    writeFileSync(file, JSON.stringify({ principals: [{ id: 'w1', role: 'window', token: 'plain-token' }] }));
    expect(() => loadPrincipals({ NODE_ENV: 'production', PRINCIPALS_FILE: file })).toThrow(/plain tokens are refused/);
    writeFileSync(file, JSON.stringify({ principals: [{ id: 'r1', role: 'reviewer', party: 'power', token: 'plain-token' }] }));
    expect(() => loadPrincipals({ NODE_ENV: 'test', PRINCIPALS_FILE: file })).toThrow(/reviewer belongs to a department/);
  });
});

describe('the clock of a sign-off', () => {
  const t = (day: number) => new Date(Date.UTC(2026, 0, 1) + day * DAY_MS).toISOString();
  const attempt = (corrections: [number, number | undefined][]): Attempt => ({
    number: 1,
    submittedBy: window,
    submittedAt: t(0),
    outcome: 'open',
    signOffs: [],
    corrections: corrections.map(([from, to], i) => ({
      party: i === 0 ? 'planning' : 'water',
      items: ['x'],
      requestedBy: reviewer('planning'),
      requestedAt: t(from),
      ...(to !== undefined && { supplementedAt: t(to), supplementedBy: window }),
    })),
  });
  const now = new Date(t(10)).getTime();
  test('correction pauses are excluded, overlapping ones counted once, an open one up to now', () => {
    expect(pendingMs(attempt([]), now) / DAY_MS).toBe(10);
    expect(pausedMs(attempt([[2, 4]]), now) / DAY_MS).toBe(2);
    expect(pausedMs(attempt([[2, 5], [3, 6]]), now) / DAY_MS).toBe(4);
    expect(pausedMs(attempt([[2, 4], [8, undefined]]), now) / DAY_MS).toBe(4);
  });
});

describe('policy and liaison configuration', () => {
  test('a policy file overrides defaults and is validated', () => {
    const file = tempFile('policy.json');
    writeFileSync(file, JSON.stringify({ escalationDays: { liaison: 1 }, pushAttempts: 3 }));
    expect(loadPolicy(file)).toEqual({ ...DEFAULT_POLICY, escalationDays: { ...DEFAULT_POLICY.escalationDays, liaison: 1 }, pushAttempts: 3 });
    writeFileSync(file, JSON.stringify({ escalationDays: { deputy: 9 } }));
    expect(() => loadPolicy(file)).toThrow(/must rise liaison < deputy < main/);
    writeFileSync(file, JSON.stringify({ reportEveryDays: { monthly: 30 } }));
    expect(() => loadPolicy(file)).toThrow(/reportEveryDays/);
  });
  test('the liaison directory must name every party and locality', () => {
    const directory = JSON.parse(readFileSync(join(ROOT, 'config', 'liaisons.dev.json'), 'utf8'));
    delete directory.localities.caojing;
    const file = tempFile('liaisons.json');
    writeFileSync(file, JSON.stringify(directory));
    expect(() => loadLiaisons(file)).toThrow(/localities\.caojing/);
  });
});

describe('withdrawal', () => {
  test('cancels the pushes not yet sent and closes the open attempt', () => {
    const input = projectInput({ utilities: ['power', 'gas'] });
    const state = newProjectState(input.project, input.plan, { autoConnection: true, policy: DEFAULT_POLICY });
    const at = new Date().toISOString();
    applyApplication(state, { stage: 'design', by: window }, at);
    state.pushes = [
      { company: 'power', key: 'k1', status: 'pending', startedAt: at },
      { company: 'gas', key: 'k2', status: 'delivered', startedAt: at, settledAt: at },
    ];
    applyWithdrawal(state, { by: window, reason: '撤回' }, at);
    expect(state.pushes.map((p) => p.status)).toEqual(['cancelled', 'delivered']);
    expect(state.stages[0]?.attempts[0]?.outcome).toBe('withdrawn');
  });
});
