// Longest test files first, so two workers finish together and a long file never starts last, beside the
// browser tests. Jest orders by its own cache of durations, which a clean clone (CI) does not have: it
// then falls back to file size, which put the four-minute simulation at the end. test/durations.json
// holds each file's seconds from a full run (`node scripts/test-durations.mjs <jest --json output>`);
// jest's cache, when there is one, is fresher and wins.
const Sequencer = require('@jest/test-sequencer').default;
const { basename, join } = require('node:path');
const { readFileSync } = require('node:fs');

const recorded = JSON.parse(readFileSync(join(__dirname, '..', 'durations.json'), 'utf8'));
// A file not yet recorded is assumed to be a typical API test file.
const TYPICAL_SECONDS = 15;

class LongestFirst extends Sequencer {
  sort(tests) {
    const seconds = (test) => {
      const cached = this.time(test);
      if (cached > 0) return cached / 1000;
      return recorded[basename(test.path)] ?? TYPICAL_SECONDS;
    };
    return [...tests].sort((a, b) => seconds(b) - seconds(a));
  }
}

module.exports = LongestFirst;
