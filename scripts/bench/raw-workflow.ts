// The benchmark's baseline: the least a Temporal application does for what one-window does per request —
// a workflow started by the client, one Update with a validator that changes its state and answers it,
// and a query. One-window's figures are compared against these, measured on the same server in the same run.
import { condition, defineQuery, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

export const decide = defineUpdate<{ decisions: number }, [{ party: string; decision: string }]>('decide');
export const read = defineQuery<{ decisions: number }>('read');
export const close = defineSignal('close');

export async function rawProject(): Promise<void> {
  const state = { decisions: 0 };
  let closed = false;
  setHandler(
    decide,
    () => {
      state.decisions += 1;
      return state;
    },
    {
      validator: ({ decision }) => {
        if (decision !== 'approve' && decision !== 'reject') throw new Error(`unknown decision ${decision}`);
      },
    },
  );
  setHandler(read, () => state);
  setHandler(close, () => void (closed = true));
  await condition(() => closed);
}
