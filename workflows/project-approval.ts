// projectApproval: one durable workflow per project, from registration through the four stages.
// Human actions arrive as Updates whose validators refuse wrong ones before anything reaches history;
// handlers only change state and queue notices, and the main loop does the side effects (notices,
// search attributes) so that a handler never waits on I/O.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { Stage } from '../domain/codes';
import {
  applyApplication,
  applySignOff,
  applySupplement,
  applyWithdrawal,
  checkApplication,
  checkSignOff,
  checkSupplement,
  checkWithdrawal,
  newProjectState,
  overallStatus,
  type Notice,
  type ProjectApprovalInput,
  type ProjectState,
} from '../domain/project';
import { REFUSED, recordSupplement, signOff, stateQuery, submitApplication, withdraw } from './messages';
import { ProjectCategory, ProjectLocality, ProjectMajor, ProjectStage, ProjectStatus } from './search-attributes';

const { notify } = proxyActivities<ReturnType<typeof createActivities>>({
  // Delivery to a sink is quick; a sink that is down is retried with backoff, never abandoned.
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

function refuseIf(reason: string | null): void {
  if (reason !== null) throw ApplicationFailure.create({ type: REFUSED, message: reason, nonRetryable: true });
}

export async function projectApproval(input: ProjectApprovalInput): Promise<ProjectState> {
  const state = newProjectState(input.project, input.plan);
  const outbox: (Notice & { key: string })[] = [];
  const now = (): string => new Date().toISOString();
  const queue = (notices: Notice[]): ProjectState => {
    const seq = state.trail.length;
    notices.forEach((n, i) => outbox.push({ ...n, key: `${state.project.id}/${seq}/${i}` }));
    return state;
  };

  setHandler(stateQuery, () => state);
  setHandler(submitApplication, (a) => queue(applyApplication(state, a, now())), {
    validator: (a) => refuseIf(checkApplication(state, a)),
  });
  setHandler(signOff, (s) => queue(applySignOff(state, s, now())), {
    validator: (s) => refuseIf(checkSignOff(state, s)),
  });
  setHandler(recordSupplement, (s) => queue(applySupplement(state, s, now())), {
    validator: (s) => refuseIf(checkSupplement(state, s)),
  });
  setHandler(withdraw, (w) => queue(applyWithdrawal(state, w, now())), {
    validator: (w) => refuseIf(checkWithdrawal(state, w)),
  });

  let lastStage: Stage = state.currentStage as Stage;
  // The starter sets the initial search attributes (api/project-client.ts); upsert only on change.
  let seen = state.trail.length;
  for (;;) {
    await condition(() => state.trail.length !== seen);
    seen = state.trail.length;
    lastStage = state.currentStage ?? lastStage;
    upsertSearchAttributes([
      { key: ProjectStage, value: lastStage },
      { key: ProjectStatus, value: overallStatus(state) },
      { key: ProjectLocality, value: state.project.locality },
      { key: ProjectCategory, value: state.project.category },
      { key: ProjectMajor, value: state.project.major },
    ]);
    while (outbox.length > 0) await notify(outbox.shift() as Notice & { key: string });
    if (state.status !== 'active' && state.trail.length === seen) break;
  }
  await condition(allHandlersFinished);
  return state;
}
