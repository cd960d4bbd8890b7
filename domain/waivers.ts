// Fee waivers (费用减免) as data: a catalogue of the fee items a project category waives or reduces, and
// the rule that turns a collecting department's assessed amount into the amount waived. The seed names
// who waives (区建管委, 区水务局, 区民防办 for small projects; 免配建民防工程 for industrial ones) but no
// amount and no rate, so a reduction's rate is configuration and empty until the district sets it.
import { z } from './zod';
import { CATEGORIES, DEPARTMENTS, type Category, type Department } from './codes';

const text = z.string().trim().min(1).max(2000);

/** exempt: the whole assessed amount is waived; reduced: `rate` of it (0 < rate ≤ 1), unknown until set. */
export const waiverRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('exempt') }).strict(),
  z.object({ kind: z.literal('reduced'), rate: z.number().gt(0).max(1).nullable().describe('share of the assessed amount waived; null: not configured') }).strict(),
]);
export type WaiverRule = z.infer<typeof waiverRule>;

export const catalogueItem = z
  .object({
    item: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'a lowercase code, e.g. small-construction-fees'),
    name: z.object({ zh: text, en: text }).strict(),
    department: z.enum(DEPARTMENTS).describe('the collecting department: only its reviewers enter the assessed amount'),
    basis: text.describe('the legal basis, as the source words it'),
    source: text.describe('where the basis is found'),
    categories: z.partialRecord(z.enum(CATEGORIES), waiverRule).refine((c) => Object.keys(c).length > 0, 'name at least one category'),
  })
  .strict();
export type CatalogueItem = z.infer<typeof catalogueItem>;

export const waiverCatalogue = z
  .object({ items: z.array(catalogueItem) })
  .strict()
  .refine((c) => new Set(c.items.map((i) => i.item)).size === c.items.length, { path: ['items'], message: 'item codes must be unique' });
export type WaiverCatalogue = z.infer<typeof waiverCatalogue>;

/** A waiver a project is granted at registration: the item and the rule its category gets. */
export interface WaiverGrant {
  item: string;
  department: Department;
  kind: WaiverRule['kind'];
}

/** The catalogue's items that apply to a project of `category`. */
export function waiversFor(category: Category, catalogue: WaiverCatalogue): WaiverGrant[] {
  return catalogue.items.flatMap((i) => {
    const rule = i.categories[category];
    return rule ? [{ item: i.item, department: i.department, kind: rule.kind }] : [];
  });
}

/**
 * The amount waived, in fen (分), of an assessed amount in fen: all of it when exempt, the configured share
 * when reduced (rounded to the fen), null when the share is not configured — never a guessed rate.
 */
export function waivedFen(rule: WaiverRule, assessedFen: number): number | null {
  if (rule.kind === 'exempt') return assessedFen;
  return rule.rate === null ? null : Math.round(assessedFen * rule.rate);
}

/** Yuan with at most two decimals to integer fen (money is kept in fen, never as a float sum). */
export const yuanToFen = (yuan: number): number => Math.round(yuan * 100);
export const fenToYuan = (fen: number): number => fen / 100;

/** An assessed amount as entered: yuan, not negative, at most two decimals, below 10^12. */
export const assessedYuan = z
  .number()
  .nonnegative()
  .max(999_999_999_999.99)
  .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, 'at most two decimals (yuan and fen)');
