// One Temporal dev server (in memory, search attributes registered) for every API and end-to-end test.
// Each test uses its own task queue and project ids, so files can share it in parallel.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer, type DevServer } from '../temporal/dev-server';

declare global {
  var __devServer: DevServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  process.env.TEST_TMP_ROOT = mkdtempSync(join(tmpdir(), 'one-window-test-'));
  const server = await startDevServer();
  globalThis.__devServer = server;
  process.env.TEST_TEMPORAL_ADDRESS = server.address;
}
