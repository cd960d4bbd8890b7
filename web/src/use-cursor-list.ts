// A list read a page at a time (a server cursor per page): the page, its error and loading state, and the
// cursor stack that 首页 / 上一页 / 下一页 walk. Only the latest request's answer is shown: filters, search
// and paging each fire a request, and a slow answer to an earlier one must not land over a later one.
import { useCallback, useEffect, useState } from 'react';
import { FIRST, Latest, next, previous, shown, type Cursors } from './cursor-pages';

export interface CursorList<P> {
  page: P | null;
  /** For a page that removes a row it has just acted on without reading the page again. */
  setPage: (update: (page: P | null) => P | null) => void;
  error: unknown;
  loading: boolean;
  /** Reads the page shown again (refresh, after an action). */
  reload: () => Promise<void>;
  /** 1 for the first page. */
  pageNumber: number;
  first: () => void;
  next: () => void;
  previous: () => void;
}

/** `fetchPage` reads the page at a cursor (none: the first); a new `fetchPage` (say, its filters changed)
 *  reads again. Call first() when the filters change so that they apply from the first page. */
export function useCursorList<P extends { nextCursor?: string }>(fetchPage: (cursor: string | undefined) => Promise<P>): CursorList<P> {
  const [cursors, setCursors] = useState<Cursors>(FIRST);
  const [page, setPage] = useState<P | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [latest] = useState(() => new Latest());
  const cursor = shown(cursors);

  const reload = useCallback(async () => {
    const current = latest.begin();
    setLoading(true);
    setError(null);
    try {
      const answer = await fetchPage(cursor);
      if (current()) setPage(answer);
    } catch (err) {
      if (current()) setError(err);
    } finally {
      if (current()) setLoading(false);
    }
  }, [fetchPage, cursor, latest]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const nextCursor = page?.nextCursor;
  return {
    page,
    setPage,
    error,
    loading,
    reload,
    pageNumber: cursors.length,
    first: useCallback(() => setCursors(FIRST), []),
    next: useCallback(() => setCursors((c) => next(c, nextCursor)), [nextCursor]),
    previous: useCallback(() => setCursors(previous), []),
  };
}
