import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__devServer?.stop();
  await globalThis.__pgliteServer?.stop();
  await globalThis.__dropDatabase?.();
  if (process.env.TEST_TMP_ROOT) rmSync(process.env.TEST_TMP_ROOT, { recursive: true, force: true });
}
