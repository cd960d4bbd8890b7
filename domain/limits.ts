// How far a caller can grow a project. Every list a person can lengthen is bounded, and so is the whole
// state: the workflow keeps it in memory, carries it across continue-as-new and hands it to the record
// writer, and Temporal warns at 512 KB for one payload. These numbers are documented in the API.
import type { ProjectState } from './project';
import { refusal, type Refusal } from './refusals';

export const LIMITS = {
  /** 一次性告知: missing items one correction may list, and the characters of one item. */
  correctionItems: 50,
  itemChars: 200,
  /** Free text: a sign-off's comment, an application's or supplement's note, a withdrawal's reason. */
  commentChars: 1000,
  /** Applications of one stage (the first and every resubmission after a rejection). */
  attemptsPerStage: 12,
  /** Report cadence switches and agent changes over a project's life. */
  cadenceChanges: 60,
  agentChanges: 30,
  /** The serialized project state (UTF-8 bytes); a human action that would pass it is refused. */
  stateBytes: 256 * 1024,
  /** Progress reports kept in the live state; older ones stay in the public record. */
  reportsInState: 26,
  /** Reminders (催办) of one stage attempt: a reminder is a nudge, not a channel. */
  remindersPerAttempt: 10,
  /** Held commands' ids the state remembers, so that each applies once (also in the next run). */
  heldInState: 100,
} as const;

/** UTF-8 length of a string, without TextEncoder (workflow code stays free of host APIs it need not use). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * When a copy of the state may enter a run's history: in an action's answer, so the caller needs no query
 * (which waits behind the workflow tasks the change started: its record write, its notices), and in the
 * input of the record write it starts, so the writer needs no query either. Only while the state is small
 * and the run's history young: past either bound the answer is the trail entry alone and the writer reads
 * the state by query. These copies add at most the history bound and two states to a run.
 */
export const STATE_IN_HISTORY = { stateBytes: 16 * 1024, historyBytes: 256 * 1024 };

/** The state's JSON when a copy of it may enter a history of `historySize` bytes; otherwise undefined. */
export function stateForHistory(state: ProjectState, historySize: number): string | undefined {
  if (historySize > STATE_IN_HISTORY.historyBytes) return undefined;
  const json = JSON.stringify(state);
  return utf8Bytes(json) <= STATE_IN_HISTORY.stateBytes ? json : undefined;
}

/** Why a human action carrying `input` would make the project too large to keep, or null. */
export function capacityRefusal(state: ProjectState, input: unknown): Refusal | null {
  const size = utf8Bytes(JSON.stringify(state)) + utf8Bytes(JSON.stringify(input) ?? '');
  if (size <= LIMITS.stateBytes) return null;
  const kb = Math.round(LIMITS.stateBytes / 1024);
  return refusal('size-limit', `project ${state.project.id} has reached its size limit (${kb} KB); shorten the text, or ask an admin`, { kb });
}
