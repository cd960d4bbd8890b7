#!/usr/bin/env node
// Writes test/durations.json (each test file's seconds) from jest's --json output, for the sequencer
// that runs the longest files first (test/support/sequencer.js). Run after a full suite:
//   npx jest --json --outputFile /tmp/jest.json; node scripts/test-durations.mjs /tmp/jest.json
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/test-durations.mjs <jest --json output>');
  process.exit(2);
}
const { testResults } = JSON.parse(readFileSync(file, 'utf8'));
const seconds = Object.fromEntries(
  testResults
    .map((r) => [basename(r.name), Math.round((r.endTime - r.startTime) / 1000)])
    .sort((a, b) => b[1] - a[1]),
);
writeFileSync(join(import.meta.dirname, '..', 'test', 'durations.json'), `${JSON.stringify(seconds, null, 2)}\n`);
console.log(`${Object.keys(seconds).length} files written to test/durations.json`);
