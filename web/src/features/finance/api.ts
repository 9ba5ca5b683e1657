import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, apiGet, apiSend, apiUrl } from '../../api/client';
import type { ItemsResponse, Problem } from '../../api/types';
import { t } from '../../i18n';
import type { ActView, PlanSummary, PlanTree } from '../plan/types';
import type {
  AssignmentInput,
  AssignmentView,
  BudgetLineDetail,
  BudgetLineInput,
  BudgetLineView,
  BudgetView,
  CommitmentInput,
  FundView,
  ImportResult,
  PaymentInput,
  SocialWorkersView,
  SpendingReport,
  SplitPreview,
  SplitPreviewBody,
  SplitView,
} from './types';

const enc = encodeURIComponent;
const base = (ambitoId: string) => `/ambiti/${enc(ambitoId)}`;

export const financeKeys = {
  all: (ambitoId: string) => ['finance', ambitoId] as const,
  funds: (ambitoId: string) => ['finance', ambitoId, 'funds'] as const,
  budget: (ambitoId: string, year: number) => ['finance', ambitoId, 'budget', year] as const,
  defaultYear: (ambitoId: string) => ['finance', ambitoId, 'default-year'] as const,
  assignments: (ambitoId: string, year: number) => ['finance', ambitoId, 'assignments', year] as const,
  lines: (ambitoId: string, year: number, fund?: string) =>
    ['finance', ambitoId, 'lines', year, fund ?? ''] as const,
  line: (ambitoId: string, lineId: string) => ['finance', ambitoId, 'line', lineId] as const,
  splits: (ambitoId: string, year: number) => ['finance', ambitoId, 'splits', year] as const,
  workers: (ambitoId: string, year: number) => ['finance', ambitoId, 'workers', year] as const,
  report: (ambitoId: string, year: number, fund?: string) =>
    ['finance', ambitoId, 'report', year, fund ?? ''] as const,
  acts: (ambitoId: string) => ['acts', ambitoId] as const,
  actions: (ambitoId: string) => ['finance', ambitoId, 'plan-actions'] as const,
};

export function useFunds(ambitoId: string) {
  return useQuery({
    queryKey: financeKeys.funds(ambitoId),
    queryFn: ({ signal }) => apiGet<ItemsResponse<FundView>>(`${base(ambitoId)}/funds`, {}, signal),
    select: (data) => data.items,
  });
}

export function useBudget(ambitoId: string, year: number | null) {
  return useQuery({
    queryKey: financeKeys.budget(ambitoId, year ?? 0),
    queryFn: ({ signal }) => apiGet<BudgetView>(`${base(ambitoId)}/budget`, { year: year ?? 0 }, signal),
    enabled: year !== null,
    staleTime: 0,
  });
}

/** Whether the year is closed (nothing more is budgeted or committed on it); shares the budget's cache. */
export function useYearClosed(ambitoId: string, year: number) {
  return useQuery({
    queryKey: financeKeys.budget(ambitoId, year),
    queryFn: ({ signal }) => apiGet<BudgetView>(`${base(ambitoId)}/budget`, { year }, signal),
    select: (budget) => budget.closed,
    enabled: year > 0,
  });
}

const CURRENT_YEAR = new Date().getFullYear();
/** How many years back the Bilancio looks for data when no year is asked for. */
const LOOK_BACK = 6;

/**
 * The year the Bilancio opens on: the current one if it has any assignment, otherwise the latest
 * earlier year that has one (up to LOOK_BACK years back), otherwise the current year. Each budget
 * read lands in the cache, so the page does not read it twice.
 */
export function useDefaultYear(ambitoId: string, enabled: boolean) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: financeKeys.defaultYear(ambitoId),
    queryFn: async ({ signal }) => {
      for (let year = CURRENT_YEAR; year > CURRENT_YEAR - LOOK_BACK; year--) {
        const budget = await apiGet<BudgetView>(`${base(ambitoId)}/budget`, { year }, signal);
        queryClient.setQueryData(financeKeys.budget(ambitoId, year), budget);
        if (budget.byFund.length > 0) return year;
      }
      return CURRENT_YEAR;
    },
    enabled,
  });
}

export function useAssignments(ambitoId: string, year: number) {
  return useQuery({
    queryKey: financeKeys.assignments(ambitoId, year),
    queryFn: ({ signal }) =>
      apiGet<ItemsResponse<AssignmentView>>(`${base(ambitoId)}/fund-assignments`, { year }, signal),
    select: (data) => data.items,
    staleTime: 0,
  });
}

export function useBudgetLines(ambitoId: string, year: number, fund?: string) {
  return useQuery({
    queryKey: financeKeys.lines(ambitoId, year, fund),
    queryFn: ({ signal }) =>
      apiGet<ItemsResponse<BudgetLineView>>(`${base(ambitoId)}/budget-lines`, { year, fund }, signal),
    select: (data) => data.items,
    staleTime: 0,
  });
}

export function useBudgetLine(ambitoId: string, lineId: string) {
  return useQuery({
    queryKey: financeKeys.line(ambitoId, lineId),
    queryFn: ({ signal }) =>
      apiGet<BudgetLineDetail>(`${base(ambitoId)}/budget-lines/${enc(lineId)}`, {}, signal),
    staleTime: 0,
  });
}

export function useSplits(ambitoId: string, year: number) {
  return useQuery({
    queryKey: financeKeys.splits(ambitoId, year),
    queryFn: ({ signal }) => apiGet<ItemsResponse<SplitView>>(`${base(ambitoId)}/splits`, { year }, signal),
    select: (data) => data.items,
    staleTime: 0,
  });
}

export function useSocialWorkers(ambitoId: string, year: number) {
  return useQuery({
    queryKey: financeKeys.workers(ambitoId, year),
    queryFn: ({ signal }) => apiGet<SocialWorkersView>(`${base(ambitoId)}/social-workers`, { year }, signal),
    staleTime: 0,
  });
}

export function useSpendingReport(ambitoId: string, year: number, fund?: string) {
  return useQuery({
    queryKey: financeKeys.report(ambitoId, year, fund),
    queryFn: ({ signal }) =>
      apiGet<SpendingReport>(`${base(ambitoId)}/finance/report`, { year, fund }, signal),
    staleTime: 0,
  });
}

/** The act registry of the Ambito (same cache as the plan pages). */
export function useActs(ambitoId: string, enabled = true) {
  return useQuery({
    queryKey: financeKeys.acts(ambitoId),
    queryFn: ({ signal }) => apiGet<ItemsResponse<ActView>>(`${base(ambitoId)}/acts`, {}, signal),
    select: (data) => data.items,
    enabled,
  });
}

export interface PlanActionOption {
  id: string;
  label: string;
  plan: string;
}

/** Every action of the Ambito's plans, newest plan first, to program money on. */
export function usePlanActions(ambitoId: string, enabled = true) {
  return useQuery({
    queryKey: financeKeys.actions(ambitoId),
    queryFn: async ({ signal }) => {
      const plans = await apiGet<ItemsResponse<PlanSummary>>('/plans', { ambito: ambitoId }, signal);
      const trees = await Promise.all(
        plans.items.map((p) => apiGet<PlanTree>(`/plans/${enc(p.id)}`, {}, signal)),
      );
      return trees.flatMap((plan): PlanActionOption[] =>
        plan.objectives.flatMap((o) =>
          o.specific.flatMap((s) =>
            s.actions.map((a) => ({ id: a.id, label: `${a.code} — ${a.title}`, plan: plan.title })),
          ),
        ),
      );
    },
    enabled,
  });
}

/** Every money change refreshes all of the Ambito's finance views. */
function useFinanceMutation<TInput, TResult>(ambitoId: string, fn: (input: TInput) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: financeKeys.all(ambitoId) }),
  });
}

type Created = { id: string };

export const useCreateAssignment = (ambitoId: string) =>
  useFinanceMutation(ambitoId, (body: AssignmentInput) =>
    apiSend<Created>('POST', `${base(ambitoId)}/fund-assignments`, body),
  );

export const useCreateBudgetLine = (ambitoId: string) =>
  useFinanceMutation(ambitoId, (body: BudgetLineInput) =>
    apiSend<Created>('POST', `${base(ambitoId)}/budget-lines`, body),
  );

export const useCreateCommitment = (ambitoId: string) =>
  useFinanceMutation(ambitoId, (body: CommitmentInput) =>
    apiSend<Created>('POST', `${base(ambitoId)}/commitments`, body),
  );

export const useCreatePayment = (ambitoId: string) =>
  useFinanceMutation(ambitoId, (body: PaymentInput) =>
    apiSend<Created>('POST', `${base(ambitoId)}/payments`, body),
  );

export const useCloseYear = (ambitoId: string) =>
  useFinanceMutation(ambitoId, ({ year, actId }: { year: number; actId: string }) =>
    apiSend<{ year: number; carried: Array<{ fund: string; amountCents: number }> }>(
      'POST',
      `${base(ambitoId)}/financial-years/${year}/close`,
      { actId },
    ),
  );

export const useSaveSocialWorkers = (ambitoId: string) =>
  useFinanceMutation(
    ambitoId,
    ({ year, comuni }: { year: number; comuni: Array<{ istatCode: string; fteHundredths: number }> }) =>
      apiSend<void>('PUT', `${base(ambitoId)}/social-workers/${year}`, { comuni }),
  );

/** A simulation writes nothing: a mutation only because it is run on demand. */
export function usePreviewSplit(ambitoId: string) {
  return useMutation({
    mutationFn: (body: SplitPreviewBody) =>
      apiSend<SplitPreview>('POST', `${base(ambitoId)}/splits/preview`, body),
  });
}

export const useSaveSplit = (ambitoId: string) =>
  useFinanceMutation(ambitoId, (body: SplitPreviewBody & { fundCode: string; year: number; actId: string }) =>
    apiSend<SplitPreview & { id: string }>('POST', `${base(ambitoId)}/splits`, body),
  );

/** Where the rendiconto downloads live. */
export function reportUrl(
  ambitoId: string,
  file: 'report.csv' | 'report.xlsx' | 'summary.pdf',
  year: number,
  fund?: string,
) {
  return apiUrl(`${base(ambitoId)}/finance/${file}`, file === 'summary.pdf' ? { year } : { year, fund });
}

/**
 * POST of a CSV export of the accounting system, as text/csv (apiSend only speaks JSON). The file
 * goes as it is, bytes untouched: the server tells UTF-8 from windows-1252. The CSRF token is read
 * fresh from the session, as the server rotates it with the session.
 */
async function postCsv(ambitoId: string, csv: Blob, dryRun: boolean): Promise<ImportResult> {
  const session = await apiGet<{ csrfToken?: string }>('/session');
  let response: Response;
  try {
    response = await fetch(apiUrl(`${base(ambitoId)}/finance/import`, { dryRun: String(dryRun) }), {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        accept: 'application/json, application/problem+json',
        'content-type': 'text/csv',
        'x-csrf-token': session.csrfToken ?? '',
      },
      body: csv,
    });
  } catch {
    throw new ApiError(0, t.state.networkError);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const problem = body as Problem | undefined;
    throw new ApiError(response.status, problem?.detail || problem?.title || t.state.genericError, problem);
  }
  return body as ImportResult;
}

export const useImportCsv = (ambitoId: string) =>
  useFinanceMutation(ambitoId, ({ csv, dryRun }: { csv: Blob; dryRun: boolean }) =>
    postCsv(ambitoId, csv, dryRun),
  );
