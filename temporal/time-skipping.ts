// The time-skipping test server (simulation, benchmark, tests), with a client that seals commands as the
// API does — at the server's own clock, which runs ahead of the wall clock as time is skipped.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { testServerExecutable } from './binaries';
import { commandSealInterceptor, type SealSigner } from './command-seal';
import { ensureSearchAttributes } from './search-attributes';

export async function sealedTimeSkippingEnv(signer: SealSigner): Promise<TestWorkflowEnvironment> {
  let clock: () => Promise<number> = async () => Date.now();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: testServerExecutable() },
    client: { interceptors: { workflow: [commandSealInterceptor(signer, () => clock())] } },
  });
  clock = () => env.currentTimeMs();
  await ensureSearchAttributes(env.connection, 'default');
  return env;
}
