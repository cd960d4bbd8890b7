// The liaison directory follows its file: a personnel change reaches running projects without a restart.
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { watchedLiaisons } from '../activities/liaisons';
import { ROOT } from '../config/env';
import { tempFile } from './support/temporal';

test('the directory is read again when its file changes, and an invalid change keeps the last good one', () => {
  const file = tempFile('liaisons.json');
  const shipped = JSON.parse(readFileSync(join(ROOT, 'config', 'liaisons.dev.json'), 'utf8'));
  writeFileSync(file, JSON.stringify(shipped));
  const warnings: string[] = [];
  const directory = watchedLiaisons(file, (w) => warnings.push(w));
  expect(directory().parties.planning.liaison).toEqual(shipped.parties.planning.liaison);

  const changed = { ...shipped, parties: { ...shipped.parties, planning: { ...shipped.parties.planning, liaison: { name: '新联络员 王芳', contact: 'wang.fang@example.gov' } } } };
  writeFileSync(file, JSON.stringify(changed));
  utimesSync(file, new Date(), new Date(Date.now() + 5_000));
  expect(directory().parties.planning.liaison).toEqual({ name: '新联络员 王芳', contact: 'wang.fang@example.gov' });

  writeFileSync(file, '{ "parties": {} }');
  utimesSync(file, new Date(), new Date(Date.now() + 10_000));
  expect(directory().parties.planning.liaison.name).toBe('新联络员 王芳');
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/invalid liaison directory .*previous liaison directory stays in use/);
});
