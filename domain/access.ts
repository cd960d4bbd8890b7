// Who may do what. The API answers 403 with the reason this returns; the rules live here so that they
// read as one table and tests can name them.
import type { Party, Role } from './codes';
import type { Actor } from './project';

export type Command = 'register' | 'apply' | 'sign-off' | 'supplement' | 'withdraw' | 'assign-agent' | 'set-cadence' | 'green-channel';

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
