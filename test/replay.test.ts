// Saved histories (test/fixtures/histories, recorded by `npm run record-histories`) replay with the
// current workflow code: a change that would break running projects fails here first.
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { savedHistories } from './support/histories';
import { bundle } from './support/temporal';

const histories = savedHistories();
let current: WorkflowBundle;
let changed: WorkflowBundle;

beforeAll(async () => {
  [current, changed] = await Promise.all([bundle(), bundle(require.resolve('./fixtures/changed-workflow'))]);
});

test('there are saved histories to replay', () => {
  expect(histories.map((h) => h.name)).toEqual(
    expect.arrayContaining(['general-four-stages', 'small-simplified-acceptance', 'withdrawn-during-permit']),
  );
});

test.each(histories.map((h) => [h.name, h.history] as const))('%s replays with the current code', async (_name, history) => {
  await Worker.runReplayHistory({ workflowBundle: current }, history);
});

test('an incompatible change fails replay with a determinism error', async () => {
  const history = histories.find((h) => h.name === 'general-four-stages')?.history;
  const err = await Worker.runReplayHistory({ workflowBundle: changed }, history).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeterminismViolationError);
});
