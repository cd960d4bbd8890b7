// The credit code's check, with the reason in the person's language. The check character itself is
// computed by the API's own domain/uscc.ts (GB 32100-2015), so the form and the server agree.
import { usccCheckCharacter } from '../../domain/uscc';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export type UsccProblem = { kind: 'length'; length: number } | { kind: 'char'; char: string } | { kind: 'check'; expected: string; actual: string };

/** Why a code is not a valid USCC (after trimming and upper-casing, as the API does), or null. */
export function usccProblem(input: string): UsccProblem | null {
  const code = input.trim().toUpperCase();
  if (code.length !== 18) return { kind: 'length', length: code.length };
  const bad = [...code].find((c) => !ALPHABET.includes(c));
  if (bad !== undefined) return { kind: 'char', char: bad };
  const expected = usccCheckCharacter(code.slice(0, 17)) as string;
  return code.charAt(17) === expected ? null : { kind: 'check', expected, actual: code.charAt(17) };
}
