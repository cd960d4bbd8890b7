#!/usr/bin/env node
// `npm test`: build the web console (its API types generated from the OpenAPI document, its own type
// check, the Vite build the browser tests open), type check, lint, then the jest suite against the embedded database (PGlite), and again
// against PostgreSQL when TEST_DATABASE_URL names a server (a fresh database is created there and
// dropped after). Ends with one plain line: 'tests: N passed, M failed'. Extra arguments go to jest.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const extra = process.argv.slice(2);
const run = (command, args, env = process.env) => spawnSync(command, args, { stdio: 'inherit', env }).status ?? 1;
const bin = (name) => join('node_modules', '.bin', name);

if (run('npm', ['run', 'build', '--workspace', 'web']) !== 0) process.exit(1);
if (run(bin('tsc'), ['--noEmit', '-p', '.']) !== 0) process.exit(1);
if (run(bin('eslint'), ['.']) !== 0) process.exit(1);

const out = mkdtempSync(join(tmpdir(), 'one-window-jest-'));
const totals = { passed: 0, failed: 0 };
let status = 0;
const suites = [{ name: 'embedded PGlite', env: { ...process.env, TEST_DATABASE_URL: '' }, args: [] }];
if (process.env.TEST_DATABASE_URL) {
  // Again on PostgreSQL, the files whose outcome the record's database can change. Not again: the
  // simulation and the embedded-database test (they open embedded databases of their own); what reads
  // nothing back from the record — the console as a person sees it (console-*), who may reach which
  // endpoint (access-matrix), saved histories and their tools (replay*), workflow behaviour on the
  // time-skipping server (workflow, long-running), trace propagation (tracing), a worker and server killed
  // and restarted (restart), HTTP limits and sign-in (http-protection, identity), and the pure modules
  // (domain, channels, deployment, holiday-notice, dashboard-stats, dev-server-ports); Temporal cut off from
  // the API (temporal-outage), which no database changes.
  const notAgain = [
    'simulation', 'embedded', 'console-', 'access-matrix', 'replay', 'workflow', 'long-running', 'tracing', 'restart',
    'http-protection', 'identity', 'domain', 'channels', 'deployment', 'holiday-notice', 'dashboard-stats', 'dev-server-ports',
    'temporal-outage',
  ];
  suites.push({ name: 'PostgreSQL', env: process.env, args: ['--testPathIgnorePatterns', `/test/(${notAgain.join('|')})[^/]*\\.test\\.ts$`] });
} else {
  console.log('\nTEST_DATABASE_URL is unset: the suite runs against the embedded database only.');
}
for (const [i, suite] of suites.entries()) {
  console.log(`\n=== jest against ${suite.name} ===`);
  const file = join(out, `${i}.json`);
  // The extra arguments (test files, say) go before the suite's: jest's --testPathIgnorePatterns takes
  // every word after it as another pattern, so a file named after it would be ignored, not run.
  // (Run first, then remembered: `status ||= run(…)` would skip the PostgreSQL run after a failure.)
  const code = run(bin('jest'), ['--json', '--outputFile', file, ...extra, ...suite.args], suite.env);
  status ||= code;
  // Kept on request, for the test sequencer's durations (scripts/test-durations.mjs).
  if (process.env.KEEP_JEST_JSON && existsSync(file)) copyFileSync(file, join(process.env.KEEP_JEST_JSON, `${suite.name.split(' ').pop()}.json`));
  try {
    const result = JSON.parse(readFileSync(file, 'utf8'));
    totals.passed += result.numPassedTests;
    totals.failed += result.numFailedTests + result.numRuntimeErrorTestSuites;
  } catch {
    totals.failed += 1;
  }
}
rmSync(out, { recursive: true, force: true });
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(status);
