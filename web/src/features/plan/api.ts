import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiGetWithEtag, apiSend } from '../../api/client';
import type { ItemsResponse } from '../../api/types';
import type {
  ActInput,
  ActionInput,
  ActView,
  Change,
  CreatePlanBody,
  IndicatorInput,
  IndicatorValueInput,
  ObjectiveInput,
  PlanOverview,
  PlanSummary,
  PlanTree,
  TransitionBody,
  VersionView,
} from './types';

export const planKeys = {
  all: ['plans'] as const,
  list: (ambitoId: string) => ['plans', 'list', ambitoId] as const,
  plan: (id: string) => ['plans', id] as const,
  versions: (id: string) => ['plans', id, 'versions'] as const,
  compare: (id: string, from: number, to: number) => ['plans', id, 'compare', from, to] as const,
  overview: (id: string) => ['plans', id, 'overview'] as const,
  acts: (ambitoId: string) => ['acts', ambitoId] as const,
};

const enc = encodeURIComponent;

export function usePlans(ambitoId: string) {
  return useQuery({
    queryKey: planKeys.list(ambitoId),
    queryFn: ({ signal }) => apiGet<ItemsResponse<PlanSummary>>('/plans', { ambito: ambitoId }, signal),
    select: (data) => data.items,
    staleTime: 0,
  });
}

/** The plan and its ETag ("<revision>"), which every change sends back as If-Match. */
export function usePlan(id: string) {
  return useQuery({
    queryKey: planKeys.plan(id),
    queryFn: async ({ signal }) => {
      const { data, etag } = await apiGetWithEtag<PlanTree>(`/plans/${enc(id)}`, {}, signal);
      return { plan: data, etag: etag ?? `"${data.revision}"` };
    },
    staleTime: 0,
  });
}

export function useVersions(id: string) {
  return useQuery({
    queryKey: planKeys.versions(id),
    queryFn: ({ signal }) => apiGet<ItemsResponse<VersionView>>(`/plans/${enc(id)}/versions`, {}, signal),
    select: (data) => data.items,
    staleTime: 0,
  });
}

export function useCompare(id: string, range: { from: number; to: number } | null) {
  return useQuery({
    queryKey: planKeys.compare(id, range?.from ?? 0, range?.to ?? 0),
    queryFn: ({ signal }) =>
      apiGet<{ changes: Change[] }>(
        `/plans/${enc(id)}/compare`,
        { from: range?.from, to: range?.to },
        signal,
      ),
    select: (data) => data.changes,
    enabled: range !== null,
  });
}

export function useOverview(id: string) {
  return useQuery({
    queryKey: planKeys.overview(id),
    queryFn: ({ signal }) => apiGet<PlanOverview>(`/plans/${enc(id)}/overview`, {}, signal),
    staleTime: 0,
  });
}

export function useActs(ambitoId: string, enabled = true) {
  return useQuery({
    queryKey: planKeys.acts(ambitoId),
    queryFn: ({ signal }) => apiGet<ItemsResponse<ActView>>(`/ambiti/${enc(ambitoId)}/acts`, {}, signal),
    select: (data) => data.items,
    enabled,
  });
}

/** Every change to a plan refreshes all the plan's views (tree, versions, overview, lists). */
function usePlanMutation<TInput, TResult>(fn: (input: TInput) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: planKeys.all }),
  });
}

export const useCreatePlan = () =>
  usePlanMutation((body: CreatePlanBody) => apiSend<{ id: string }>('POST', '/plans', body));

export const useUpdatePlan = (id: string) =>
  usePlanMutation(
    ({ etag, ...body }: { etag: string; governance?: string; methodology?: string; changeReason?: string }) =>
      apiSend<{ revision: number }>('PATCH', `/plans/${enc(id)}`, body, {}, { ifMatch: etag }),
  );

export const useTransition = (id: string) =>
  usePlanMutation(({ etag, ...body }: TransitionBody & { etag: string }) =>
    apiSend<{ status: string; version: number }>(
      'POST',
      `/plans/${enc(id)}/transitions`,
      body,
      {},
      {
        ifMatch: etag,
      },
    ),
  );

type Created = { id: string; revision?: number };

export const useAddObjective = (id: string) =>
  usePlanMutation((body: ObjectiveInput) => apiSend<Created>('POST', `/plans/${enc(id)}/objectives`, body));

export const useAddAction = (id: string) =>
  usePlanMutation((body: ActionInput) => apiSend<Created>('POST', `/plans/${enc(id)}/actions`, body));

export const useAddIndicator = (id: string) =>
  usePlanMutation((body: IndicatorInput) => apiSend<Created>('POST', `/plans/${enc(id)}/indicators`, body));

export type ItemPath = 'objectives' | 'actions' | 'indicators';
interface ItemBodies {
  objectives: ObjectiveInput;
  actions: ActionInput;
  indicators: IndicatorInput;
}

/** PUT replaces the whole item; `etag` is the item's own revision ("<n>"), a 412 when stale. */
export const useUpdateItem = <P extends ItemPath>(id: string, path: P) =>
  usePlanMutation(({ itemId, etag, body }: { itemId: string; etag: string; body: ItemBodies[P] }) =>
    apiSend<{ id: string; revision: number }>(
      'PUT',
      `/plans/${enc(id)}/${path}/${enc(itemId)}`,
      body,
      {},
      { ifMatch: etag },
    ),
  );

/** 409 while the item still has children; `changeReason` only once the plan is no longer a draft. */
export const useDeleteItem = (id: string, path: ItemPath) =>
  usePlanMutation(
    ({ itemId, etag, changeReason }: { itemId: string; etag: string; changeReason?: string | undefined }) =>
      apiSend<void>(
        'DELETE',
        `/plans/${enc(id)}/${path}/${enc(itemId)}`,
        undefined,
        { changeReason },
        { ifMatch: etag },
      ),
  );

export const useAddIndicatorValue = (id: string) =>
  usePlanMutation(({ indicatorId, ...body }: IndicatorValueInput & { indicatorId: string }) =>
    apiSend<{ id: string }>('POST', `/plans/${enc(id)}/indicators/${enc(indicatorId)}/values`, body),
  );

export function useCreateAct(ambitoId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ActInput) => apiSend<{ id: string }>('POST', `/ambiti/${enc(ambitoId)}/acts`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: planKeys.acts(ambitoId) }),
  });
}

/** After a 412: reads the plan (and its new ETag) again. */
export function useReloadPlan(id: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: planKeys.plan(id) });
}
