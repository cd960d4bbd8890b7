// Asking whether a change applies to this workflow (Temporal's patched()) without a marker per change.
//
// Every patched() that answers true in a new workflow records a marker, and Temporal's core adds to each
// an upsert of the TemporalChangeVersion search attribute: a new project's first workflow task carried
// seven markers and seven upserts (each a visibility write on the server), and so did the first task of
// every run continued as new. A workflow started since BASELINE_PATCH records that one marker, and every
// change made before it applies. An older history has no BASELINE_PATCH marker where it is asked, so each
// change is asked on its own, as before; and where a run asks while executing rather than replaying, both
// answer true, so the path taken is the same either way.
import { patched } from '@temporalio/workflow';

/**
 * Every change whose id is passed to since() — long-running life, the public record, hardening,
 * operations, notices, campaigns, the lean record and batched notices — applies. A change made after
 * this one is asked with patched() of its own, never through since().
 */
export const BASELINE_PATCH = 'baseline-2026-11';

/** Whether the change `id`, made before BASELINE_PATCH, applies to this workflow. */
export const since = (id: string): boolean => patched(BASELINE_PATCH) || patched(id);
