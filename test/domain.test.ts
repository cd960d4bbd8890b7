// The pure rules: credit codes, who signs which stage by category, who may do what, and configuration.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLiaisons } from '../config/liaisons';
import { loadPolicy } from '../config/policy';
import { WorkingCalendar, scheduleProblem, stageClock } from '../domain/calendar';
import { composeReport, pausedMs, pendingMs } from '../domain/long-running';
import { DAY_MS, DEFAULT_POLICY } from '../domain/policy';
import { applyApplication, applySignOff, applySupplement, applyWithdrawal, newProjectState, type Attempt, type ProgressReport } from '../domain/project';
import { ROOT, loadConfig } from '../config/env';
import { loadPrincipals, sha256 } from '../config/principals';
import { accessRefusal } from '../domain/access';
import { planFor } from '../domain/process';
import { usccCheckCharacter, usccProblem } from '../domain/uscc';
import { admin, projectInput, reviewer, utility, window } from './support/fixtures';
import { tempFile } from './support/temporal';
import { nobleCheck, sealProblem } from '../domain/seal';
import { ed25519 } from '@noble/curves/ed25519';
import { generateSealKeys, nativeSignatureCheck, sealCommand } from '../temporal/command-seal';

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

describe('stage time limits in working days (审批时限)', () => {
  const calendar = new WorkingCalendar({
    2026: {
      holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
      workdays: ['2026-09-20', '2026-10-10'],
    },
  });
  const at = (date: string, hour = 10) => Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`);
  const permit = { submittedAt: new Date(at('2026-09-28')).toISOString(), pauses: [] as { from: string; to?: string }[] };

  test('the clock runs over National Day and its adjusted working day: yellow at 75 %, red once exceeded', () => {
    const clock = (date: string) => stageClock(calendar, permit, 10, at(date));
    expect(clock('2026-10-09')).toMatchObject({ usedDays: 4, light: 'green', deadline: '2026-10-16' });
    expect(clock('2026-10-10')).toMatchObject({ usedDays: 5, light: 'green' }); // Saturday, worked
    expect(clock('2026-10-13')).toMatchObject({ usedDays: 7, light: 'green' });
    expect(clock('2026-10-14')).toMatchObject({ usedDays: 8, light: 'yellow' });
    expect(clock('2026-10-16')).toMatchObject({ usedDays: 10, light: 'yellow' });
    expect(clock('2026-10-19')).toMatchObject({ usedDays: 11, light: 'red' });
  });

  test('a correction pauses the clock and the supplement resumes it; the deadline moves by the paused days', () => {
    const paused = { ...permit, pauses: [{ from: new Date(at('2026-09-30')).toISOString() }] };
    // Still waiting for the supplement on 14 October: only the two days before the pause count.
    expect(stageClock(calendar, paused, 10, at('2026-10-14'))).toMatchObject({ usedDays: 2, pausedDays: 6, light: 'green' });
    const resumed = { ...permit, pauses: [{ from: new Date(at('2026-09-30')).toISOString(), to: new Date(at('2026-10-09')).toISOString() }] };
    expect(stageClock(calendar, resumed, 10, at('2026-10-14'))).toMatchObject({ usedDays: 6, pausedDays: 2, light: 'green', deadline: '2026-10-20' });
    expect(stageClock(calendar, resumed, 10, at('2026-10-19'))).toMatchObject({ usedDays: 9, light: 'yellow' });
    expect(stageClock(calendar, resumed, 10, at('2026-10-21'))).toMatchObject({ usedDays: 11, light: 'red' });
  });

  test('calendar input is checked: dates in the year, none both off and worked', () => {
    expect(scheduleProblem(2026, { holidays: ['2026-10-01'], workdays: ['2026-10-10'] })).toBeNull();
    expect(scheduleProblem(2026, { holidays: ['2027-01-01'], workdays: [] })).toMatch(/not a date in 2026/);
    expect(scheduleProblem(2026, { holidays: ['2026-10-01'], workdays: ['2026-10-01'] })).toMatch(/both/);
  });
});

describe('an attempt keeps the time limit it was accepted with', () => {
  test('a later green channel does not shorten the limit of a stage already under way or decided', () => {
    const input = projectInput();
    const state = newProjectState(input.project, input.plan, { autoConnection: true, policy: DEFAULT_POLICY });
    const at = new Date().toISOString();
    applyApplication(state, { stage: 'design', by: window }, at);
    state.project.major = true; // what applyGreenChannel does
    applyApplication(state, { stage: 'permit', by: window }, at);
    expect(state.stages[0]?.attempts[0]?.limitDays).toBe(DEFAULT_POLICY.stageLimitDays.design);
    expect(state.stages[1]?.attempts[0]?.limitDays).toBe(DEFAULT_POLICY.majorStageLimitDays.permit);
  });
});

describe('progress reports count pending days as the stage clocks do', () => {
  // National Day 2026: 1–7 October off, Saturday 10 October worked.
  const calendar = new WorkingCalendar({
    2026: { holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'], workdays: ['2026-09-20', '2026-10-10'] },
  });
  const at = (date: string) => new Date(`${date}T10:00:00+08:00`);
  // Every party of the stage waits equally long: the days, once each.
  const daysOf = (report: ProgressReport) => (expect(report.pending.length).toBeGreaterThan(0), [...new Set(report.pending.map((p) => p.days))]);
  const submitted = () => {
    const input = projectInput({ category: 'small', utilities: ['power'] });
    const state = newProjectState(input.project, input.plan, { autoConnection: true, policy: DEFAULT_POLICY });
    // Friday 25 September, then a weekend and the National Day holiday.
    applyApplication(state, { stage: 'design', by: window }, at('2026-09-25').toISOString());
    return state;
  };

  test('across a weekend and a holiday: working days, not calendar days', () => {
    const state = submitted();
    const report = composeReport(state, at('2026-10-08').getTime(), calendar);
    // 28, 29, 30 September and 8 October.
    expect(daysOf(report)).toEqual([4]);
    expect(report.pendingIn).toBe('working-days');
    // Projects from before the change (no calendar) keep counting calendar days.
    const old = composeReport(state, at('2026-10-08').getTime());
    expect(daysOf(old)).toEqual([13]);
    expect(old.pendingIn).toBeUndefined();
  });

  test('a correction pause does not count, and an open one stops the count', () => {
    const state = submitted();
    applySignOff(state, { stage: 'design', party: 'planning', decision: 'correction', items: ['总平面图'], by: reviewer('planning') }, at('2026-09-28').toISOString());
    // Paused since Monday 28 September: nothing counts while the applicant has not supplemented.
    expect(daysOf(composeReport(state, at('2026-10-08').getTime(), calendar))).toEqual([1]);
    applySupplement(state, { stage: 'design', by: window }, at('2026-09-30').toISOString());
    // 28–30 September paused (two working days): 4 less 2.
    expect(daysOf(composeReport(state, at('2026-10-08').getTime(), calendar))).toEqual([2]);
  });
});

describe('the command seal', () => {
  test("Node's check outside workflows and noble's inside them agree on every seal", () => {
    const { signer, keys } = generateSealKeys();
    const command = { kind: 'start' as const, workflowId: 'project-x', name: 'projectApproval', id: 'project-x', args: [{ name: '朱泾镇 项目' }] };
    const seal = sealCommand(signer, command, Date.now());
    const both = (s: Parameters<typeof sealProblem>[1], c = command) => [sealProblem(keys, s, c), sealProblem(keys, s, c, undefined, nativeSignatureCheck)];
    expect(both(seal)).toEqual([null, null]);
    const tampered = both(seal, { ...command, args: [{ name: '朱泾镇 项目 改' }] });
    expect(tampered).toEqual([tampered[0], tampered[0]]);
    expect(tampered[0]).toMatch(/does not match/);
    // A signature of the wrong length or alphabet is refused by both, never thrown.
    for (const sig of [seal.sig.slice(4), 'not-a-signature', '']) expect(both({ ...seal, sig })).toEqual([expect.stringMatching(/does not match/), expect.stringMatching(/does not match/)]);
    const other = sealCommand(generateSealKeys().signer, command, Date.now());
    expect(both({ ...other, kid: seal.kid })).toEqual([expect.stringMatching(/does not match/), expect.stringMatching(/does not match/)]);
  });

  test("the workflows' check, with each key's table kept, answers as noble's own verify", () => {
    const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
    // RFC 8032, 7.1, test 1: the empty message.
    const rfcKey = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    const rfcSig = hex('e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b');
    expect(nobleCheck(rfcSig, new Uint8Array(), rfcKey)).toBe(true);
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const cases: [Uint8Array, Uint8Array, Uint8Array][] = [[rfcSig, new Uint8Array(), rfcKey], [rfcSig, Uint8Array.of(0), rfcKey]];
    for (let k = 0; k < 3; k++) {
      const secret = ed25519.utils.randomSecretKey();
      const key = ed25519.getPublicKey(secret);
      for (let m = 0; m < 4; m++) {
        const message = Uint8Array.from(Buffer.from(`朱泾镇 项目 ${k}/${m} `.repeat(m * 20)));
        const sig = ed25519.sign(message, secret);
        cases.push([sig, message, key]);
        // Every kind of damage: a bit of R, of S, of the message; S + L (the same residue, not canonical);
        // a random R; another key; a key that is no point; the identity as key (small order).
        for (const at of [0, 17, 31, 32, 50, 63]) {
          const bad = sig.slice();
          bad[at] = (bad[at] as number) ^ (1 << (at % 8));
          cases.push([bad, message, key]);
        }
        if (message.length > 0) cases.push([sig, Uint8Array.from(message, (b, i) => (i === 3 ? b ^ 1 : b)), key]);
        let s = 0n;
        for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i] as number);
        const sPlusL = Uint8Array.from(Buffer.from((s + L).toString(16).padStart(64, '0'), 'hex').reverse());
        cases.push([Uint8Array.from([...sig.subarray(0, 32), ...sPlusL]), message, key]);
        cases.push([Uint8Array.from([...ed25519.utils.randomSecretKey(), ...sig.subarray(32)]), message, key]);
        cases.push([sig, message, ed25519.getPublicKey(ed25519.utils.randomSecretKey())]);
        cases.push([sig, message, new Uint8Array(32).fill(0xff)]);
        cases.push([sig, message, Uint8Array.from([1, ...new Array<number>(31).fill(0)])]);
      }
    }
    for (const [sig, message, key] of cases) expect([nobleCheck(sig, message, key), sig.length, message.length]).toEqual([ed25519.verify(sig, message, key), sig.length, message.length]);
    expect(cases.filter(([sig, message, key]) => nobleCheck(sig, message, key)).length).toBe(13);
  });
});
