import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../api/client';
import type { AmbitoDetail, AmbitoSummary, ComuneSearchItem, ItemsResponse } from '../../api/types';

export const COMUNI_SEARCH_LIMIT = 50;
export const COMUNI_MIN_QUERY = 2;

export const territoryKeys = {
  ambiti: ['ambiti'] as const,
  ambito: (id: string) => ['ambiti', id] as const,
  comuni: (q: string) => ['comuni', q] as const,
};

export function useAmbiti() {
  return useQuery({
    queryKey: territoryKeys.ambiti,
    queryFn: ({ signal }) => apiGet<ItemsResponse<AmbitoSummary>>('/ambiti', {}, signal),
    select: (data) => data.items,
  });
}

export function useAmbito(id: string) {
  return useQuery({
    queryKey: territoryKeys.ambito(id),
    queryFn: ({ signal }) => apiGet<AmbitoDetail>(`/ambiti/${encodeURIComponent(id)}`, {}, signal),
  });
}

export function useComuniSearch(q: string) {
  const enabled = q.length >= COMUNI_MIN_QUERY;
  return useQuery({
    queryKey: territoryKeys.comuni(q),
    queryFn: ({ signal }) =>
      apiGet<ItemsResponse<ComuneSearchItem>>('/comuni', { q, limit: COMUNI_SEARCH_LIMIT }, signal),
    select: (data) => data.items,
    enabled,
    // Keeps the previous results on screen while the next keystroke's request is in flight.
    placeholderData: keepPreviousData,
  });
}
