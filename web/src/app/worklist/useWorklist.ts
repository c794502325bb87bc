import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { WORKLIST_PAGE, type Worklist, type WorklistSummary } from './queue.ts';

/**
 * A queue's "Mi día", page by page ('' for the signed-in user's own list). The worklist page and the debtor page share
 * the cache, so "Siguiente cuenta" follows the list as the collector saw it.
 */
export function useWorklist(queue: string, enabled = true) {
  return useInfiniteQuery({
    queryKey: ['worklist', queue],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => api.get<Worklist>('/worklist', { query: { collector_id: queue || undefined, limit: WORKLIST_PAGE, cursor: pageParam } }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled,
  });
}

/** The queue's totals over every page (GET /worklist/summary). */
export function useWorklistSummary(queue: string) {
  return useQuery({
    queryKey: ['worklist', queue, 'summary'],
    queryFn: () => api.get<WorklistSummary>('/worklist/summary', { query: { collector_id: queue || undefined } }),
  });
}
