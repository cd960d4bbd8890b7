// Who may do what. The API answers 403 with the reason this returns; the rules live here so that they
// read as one table and tests can name them.
import type { Party, Role } from './codes';
import type { Actor, ProjectState } from './project';

export type Command = 'register' | 'apply' | 'sign-off' | 'supplement' | 'withdraw' | 'assign-agent' | 'set-cadence' | 'green-channel' | 'repair' | 'check-replay';

const ALLOWED: Record<Command, readonly Role[]> = {
  register: ['window', 'admin'],
  apply: ['window', 'admin'],
  'sign-off': ['reviewer', 'utility', 'admin'],
  supplement: ['window', 'admin'],
  withdraw: ['window', 'admin'],
  // Which agent: the project's own (checked by the workflow, which knows it).
  'assign-agent': ['agent', 'admin'],
  'set-cadence': ['agent', 'admin'],
  'green-channel': ['admin'],
  // The operators' repairs: retry a push, remind pending parties, reset, batches.
  repair: ['admin'],
  // Replaying a project's history against the running code: a check, it changes nothing.
  'check-replay': ['admin'],
};

/** Why `actor` may not perform `command` (for `party`, when signing), or null when it may. */
export function accessRefusal(actor: Actor, command: Command, party?: Party): string | null {
  if (!(ALLOWED[command] as readonly string[]).includes(actor.role)) {
    return `role ${actor.role} may not ${command} (allowed: ${ALLOWED[command].join(', ')})`;
  }
  if (command === 'sign-off' && actor.role !== 'admin' && actor.party !== party) {
    return `${actor.id} signs for ${actor.party ?? 'no party'} only, not for ${party}`;
  }
  return null;
}

// ---- who may read what: each reads what its work needs ----

/** The projects a caller may list: all, an agent's own, or those a department or company is party to. */
export type ReadScope = { all: true } | { agent: string } | { party: Party };

export function readScope(actor: Actor): ReadScope {
  if (actor.role === 'agent') return { agent: actor.id };
  if ((actor.role === 'reviewer' || actor.role === 'utility') && actor.party) return { party: actor.party };
  return { all: true };
}

/** Why `actor` may not read the project, or null: a party reads the projects whose plan names it. */
export function readRefusal(actor: Actor, state: Pick<ProjectState, 'agent' | 'stages' | 'project'>): string | null {
  const scope = readScope(actor);
  if ('all' in scope) return null;
  if ('agent' in scope) return state.agent === scope.agent ? null : `project ${state.project.id} is not followed by ${actor.id}`;
  return state.stages.some((s) => s.parties.includes(scope.party)) ? null : `${scope.party} is not a party to project ${state.project.id}`;
}
