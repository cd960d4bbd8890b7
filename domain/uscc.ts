// 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters from a 31-letter alphabet
// (no I, O, S, V, Z); the last is a check character over the first 17 with fixed weights, modulo 31.

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character for the first 17 characters, or null when one of them is outside the alphabet. */
export function usccCheckCharacter(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) return null;
    sum += value * (WEIGHTS[i] as number);
  }
  return ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/** Why a code is not a valid USCC, or null when it is. */
export function usccProblem(code: string): string | null {
  if (code.length !== 18) return `must be 18 characters, got ${code.length}`;
  const bad = [...code].find((c) => !ALPHABET.includes(c));
  if (bad !== undefined) return `character '${bad}' is not allowed (digits and A-Y without I, O, S, V, Z)`;
  const expected = usccCheckCharacter(code.slice(0, 17));
  if (code.charAt(17) !== expected) return `check character should be '${expected}', got '${code.charAt(17)}'`;
  return null;
}
