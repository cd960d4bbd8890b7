// What a project's agent (代办员) is told about its own projects: that it received or lost one, and that
// one needs a correction. Chinese first, then English; the project named by name and locality, since an
// agent follows many and knows them by name, not by id.
import { PARTY_NAMES, STAGE_NAMES } from './codes';
import { noticeClock, type Notice, type ProjectState, type SignOffInput } from './project';

/** Whether a workflow tells its agent (projects from before the notices change do not). */
export interface AgentTelling {
  agentNotices?: boolean;
}

export const projectLabel = (state: ProjectState): string => `${state.project.name}（${state.project.locality}）`;

/** The agent's notices after the project changed hands from `previous` (null when it had none). */
export function agentHandOver(state: ProjectState, previous: string | null): Notice[] {
  const next = state.agent;
  if (next === previous) return [];
  const label = projectLabel(state);
  return [
    ...(previous === null
      ? []
      : [
          {
            to: `agent:${previous}`,
            subject: `${label}: 本项目已改由 ${next ?? '代办服务总站'} 代办 / you no longer follow this project (now ${next ?? 'the agent station'})`,
            message: { t: 'agent-released', next } as const,
          },
        ]),
    ...(next === null ? [] : [{ to: `agent:${next}`, subject: `${label}: 您已成为本项目代办员 / you now follow this project`, message: { t: 'agent-assigned' } as const }]),
  ];
}

/** The agent hears of a correction (补正) requested on its project: it is the one who chases the applicant. */
export function correctionForAgent(state: ProjectState, input: SignOffInput): Notice[] {
  if (state.agent === null || input.decision !== 'correction') return [];
  const items = input.items ?? [];
  const clock = noticeClock(state, input.stage);
  return [
    {
      to: `agent:${state.agent}`,
      subject:
        `${projectLabel(state)}: ${PARTY_NAMES[input.party]} 要求补正 ${STAGE_NAMES[input.stage]}：${items.join('；')} / ` +
        `${input.party} requests a correction of ${input.stage}: ${items.join('; ')}`,
      message: { t: 'correction-requested', stage: input.stage, party: input.party, items: [...items], ...(clock && { clock }) },
    },
  ];
}
