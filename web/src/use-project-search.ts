// The open projects a dialog offers to choose from, found by name as the person types. Only the latest
// search's answer is shown. Opening the list shows the latest projects only if nothing has been searched
// yet: typing opens the list just after it searches (the select calls onSearch, then opens), so an empty
// search asked on opening would be the later one and replace the answer to what was typed.
import { useState } from 'react';
import { api, unwrap, type ProjectSummary } from './api/client';
import { Latest } from './cursor-pages';

const CLOSED = ['completed', 'withdrawn', 'terminated'];

export function useProjectSearch(filter: { major?: 'true' | 'false' }, onError: (err: unknown) => void) {
  const [options, setOptions] = useState<ProjectSummary[]>([]);
  const [latest] = useState(() => new Latest());
  const search = async (text: string) => {
    const current = latest.begin();
    try {
      const page = await unwrap(api.GET('/api/projects', { params: { query: { ...filter, limit: 20, ...(text.trim() && { name: text.trim() }) } } }));
      if (current()) setOptions(page.projects.filter((p) => !CLOSED.includes(p.status)));
    } catch (err) {
      if (current()) onError(err);
    }
  };
  const onOpenChange = (open: boolean) => {
    if (open && !latest.any) void search('');
  };
  return { options, search, onOpenChange };
}
