// Saved workflow histories: test runs write them when RECORD_HISTORIES=1 (npm run record-histories), and
// test/replay.test.ts replays every saved one with the current workflow code.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';

export const HISTORIES = join(__dirname, '..', 'fixtures', 'histories');

export async function saveHistoryIfRecording(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  writeFileSync(join(HISTORIES, `${name}.json`), historyToJSON(history) + '\n');
}

export function savedHistories(): { name: string; history: temporal.api.history.v1.IHistory }[] {
  return readdirSync(HISTORIES)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      name: file.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(HISTORIES, file), 'utf8'))),
    }));
}
