import { useInfiniteQuery } from '@tanstack/react-query';
import { apiGet, apiUrl } from '../../api/client';
import type { ItemsResponse } from '../../api/types';
import type { AuditEntry } from '../identity/types';

export const AUDIT_PAGE_SIZE = 100;

export interface AuditFilters {
  user: string;
  action: string;
  from: string;
  to: string;
}

export const EMPTY_FILTERS: AuditFilters = { user: '', action: '', from: '', to: '' };

export function useAuditLog(ambitoId: string, filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ['audit', ambitoId, filters] as const,
    queryFn: ({ pageParam, signal }) =>
      apiGet<ItemsResponse<AuditEntry>>(
        `/ambiti/${encodeURIComponent(ambitoId)}/audit`,
        { ...filters, limit: AUDIT_PAGE_SIZE, before: pageParam },
        signal,
      ),
    initialPageParam: undefined as number | undefined,
    // Entries come newest first; the next page is everything older than the last one shown.
    getNextPageParam: (last) =>
      last.items.length < AUDIT_PAGE_SIZE ? undefined : last.items[last.items.length - 1]?.id,
    enabled: ambitoId !== '',
    // Every read is itself audited: no silent background re-reads.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export const auditCsvUrl = (ambitoId: string, filters: AuditFilters) =>
  apiUrl(`/ambiti/${encodeURIComponent(ambitoId)}/audit.csv`, { ...filters });
