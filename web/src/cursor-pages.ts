// The logic under useCursorList (use-cursor-list.ts), without React: which answer counts, and the stack
// of cursors that prev/next paging walks.

/** Requests numbered as they begin: an answer counts only if no later request has begun since, so a slow
 *  answer to an earlier filter or page never overwrites a later one. */
export class Latest {
  private begun = 0;
  /** Marks a request begun; the function answers whether it is still the latest. */
  begin(): () => boolean {
    const mine = ++this.begun;
    return () => mine === this.begun;
  }
  /** Whether any request has begun. */
  get any(): boolean {
    return this.begun > 0;
  }
}

/** The cursors of the pages walked so far, the first page's (none) at the bottom: the top is the page shown. */
export type Cursors = readonly (string | undefined)[];
export const FIRST: Cursors = [undefined];

export const shown = (cursors: Cursors): string | undefined => cursors[cursors.length - 1];
/** The page after the one shown, from that page's nextCursor (none: the last page, nowhere to go). A second
 *  click before the next page has come moves no further: it is the same cursor. */
export const next = (cursors: Cursors, nextCursor: string | undefined): Cursors =>
  nextCursor === undefined || cursors.includes(nextCursor) ? cursors : [...cursors, nextCursor];
/** The page before the one shown (the first page stays put). */
export const previous = (cursors: Cursors): Cursors => (cursors.length > 1 ? cursors.slice(0, -1) : cursors);
