import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, apiGet, apiGetWithEtag, apiSend, apiUrl } from '../../api/client';
import type { ItemsResponse, Problem } from '../../api/types';
import { t } from '../../i18n';
import type {
  ApplicationDetail,
  ApplicationItem,
  ApplicationView,
  CallInput,
  CallTemplateView,
  CallView,
  OwnApplication,
  Paged,
  PaymentListInput,
  PaymentListView,
  RankingChange,
  RankingPhase,
  RankingResult,
  RankingView,
  Receipt,
  ReceiptView,
  ReviewInput,
  SubmissionBody,
} from './types';

const enc = encodeURIComponent;
const callPath = (callId: string) => `/calls/${enc(callId)}`;
const appPath = (callId: string, applicationId: string) =>
  `${callPath(callId)}/applications/${enc(applicationId)}`;

export const callKeys = {
  all: ['calls'] as const,
  list: (ambitoId: string) => ['calls', 'list', ambitoId] as const,
  call: (callId: string) => ['calls', callId] as const,
  templates: (year: number) => ['calls', 'templates', year] as const,
  applications: (callId: string) => ['calls', callId, 'applications'] as const,
  application: (callId: string, id: string) => ['calls', callId, 'applications', id] as const,
  receipt: (callId: string, id: string) => ['calls', callId, 'receipt', id] as const,
  ranking: (callId: string, page: number) => ['calls', callId, 'ranking', page] as const,
  changes: (callId: string) => ['calls', callId, 'ranking-changes'] as const,
  paymentLists: (callId: string) => ['calls', callId, 'payment-lists'] as const,
  mine: ['calls', 'mine'] as const,
};

/**
 * A 404 from the server's catch-all: the route itself does not exist (yet), as opposed to a
 * call or application that is not there. Pages show "not available" instead of an error.
 */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof ApiError && error.isNotFound && /^Nessuna risorsa per /.test(error.message);
}

/** A read of a route that may not be deployed yet: `null` instead of an error when it is missing. */
async function optional<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (isMissingRoute(err)) return null;
    throw err;
  }
}

export function useCalls(ambitoId: string) {
  return useQuery({
    queryKey: callKeys.list(ambitoId),
    queryFn: ({ signal }) => apiGet<ItemsResponse<CallView>>(`/ambiti/${enc(ambitoId)}/calls`, {}, signal),
    select: (data) => data.items,
    staleTime: 0,
  });
}

/** The call and its ETag, sent back as If-Match by an edit. */
export function useCall(callId: string) {
  return useQuery({
    queryKey: callKeys.call(callId),
    queryFn: async ({ signal }) => {
      const { data, etag } = await apiGetWithEtag<CallView>(callPath(callId), {}, signal);
      return { call: data, etag: etag ?? `"${data.revision}"` };
    },
    staleTime: 0,
  });
}

export function useTemplates(year: number) {
  return useQuery({
    queryKey: callKeys.templates(year),
    queryFn: ({ signal }) => apiGet<ItemsResponse<CallTemplateView>>('/call-templates', { year }, signal),
    select: (data) => data.items,
  });
}

/** A page of the call's applications (the read is audited); null when the route is not there. */
export function useApplications(callId: string, params: { status?: string | undefined; page: number }) {
  return useQuery({
    queryKey: [...callKeys.applications(callId), params.status ?? '', params.page],
    queryFn: ({ signal }) =>
      optional(() =>
        apiGet<Paged<ApplicationItem> & { view: ApplicationView }>(
          `${callPath(callId)}/applications`,
          params,
          signal,
        ),
      ),
    staleTime: 0,
  });
}

/** `purpose`: an auditor's stated reason to read the whole record (recorded with the read). */
export function useApplication(callId: string, applicationId: string, purpose?: string) {
  return useQuery({
    queryKey: [...callKeys.application(callId, applicationId), purpose ?? ''],
    queryFn: ({ signal }) =>
      optional(() => apiGet<ApplicationDetail>(appPath(callId, applicationId), { purpose }, signal)),
    staleTime: 0,
  });
}

/** The receipt; each read is recorded in the audit log, so it is read only where it is shown. */
export function useReceipt(callId: string, applicationId: string, enabled = true) {
  return useQuery({
    queryKey: callKeys.receipt(callId, applicationId),
    queryFn: ({ signal }) => apiGet<ReceiptView>(`${appPath(callId, applicationId)}/receipt`, {}, signal),
    enabled,
  });
}

export const attachmentUrl = (callId: string, applicationId: string, code: string, purpose?: string) =>
  apiUrl(`${appPath(callId, applicationId)}/attachments/${enc(code)}`, { purpose });

export const receiptPdfUrl = (callId: string, applicationId: string) =>
  apiUrl(`${appPath(callId, applicationId)}/receipt.pdf`);

export function useMyApplications() {
  return useQuery({
    queryKey: callKeys.mine,
    queryFn: ({ signal }) =>
      optional(() => apiGet<ItemsResponse<OwnApplication>>('/me/applications', {}, signal)),
    select: (data) => (data ? data.items : null),
    staleTime: 0,
  });
}

/** A page of the ranking as published; null when none has been approved yet (404). */
export function useRanking(callId: string, page = 1, enabled = true) {
  return useQuery({
    queryKey: callKeys.ranking(callId, page),
    queryFn: async ({ signal }) => {
      try {
        return await apiGet<RankingView>(`${callPath(callId)}/ranking`, { page }, signal);
      } catch (err) {
        if (err instanceof ApiError && err.isNotFound) return null;
        throw err;
      }
    },
    enabled,
    staleTime: 0,
    placeholderData: keepPreviousData,
  });
}

export function useRankingChanges(callId: string, enabled = true) {
  return useQuery({
    queryKey: callKeys.changes(callId),
    queryFn: ({ signal }) =>
      optional(() => apiGet<ItemsResponse<RankingChange>>(`${callPath(callId)}/ranking/changes`, {}, signal)),
    select: (data) => (data ? data.items : null),
    enabled,
    staleTime: 0,
  });
}

export function usePaymentLists(callId: string) {
  return useQuery({
    queryKey: callKeys.paymentLists(callId),
    queryFn: ({ signal }) =>
      optional(() => apiGet<ItemsResponse<PaymentListView>>(`${callPath(callId)}/payment-lists`, {}, signal)),
    select: (data) => (data ? data.items : null),
    staleTime: 0,
  });
}

/** An auditor's download carries the stated purpose, recorded by the server with the read. */
export const paymentListUrl = (
  callId: string,
  listId: string,
  ext: 'csv' | 'xlsx' | 'xml',
  purpose?: string,
) =>
  apiUrl(
    `${callPath(callId)}/payment-lists/${enc(listId)}.${ext}${purpose ? `?purpose=${encodeURIComponent(purpose)}` : ''}`,
  );

/** Every change to a call refreshes everything known about calls (lists, ranking, applications). */
function useCallMutation<TInput, TResult>(fn: (input: TInput) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: callKeys.all }),
  });
}

export const useCreateCall = (ambitoId: string) =>
  useCallMutation((body: CallInput) =>
    apiSend<{ id: string }>('POST', `/ambiti/${enc(ambitoId)}/calls`, body),
  );

export const usePublishCall = (callId: string) =>
  useCallMutation(() => apiSend<{ status: 'published' }>('POST', `${callPath(callId)}/publish`));

/**
 * Sends an application. The Idempotency-Key is chosen by the form when it opens and sent again on
 * every retry, so a double click or a lost answer never makes a second application.
 */
export async function submitApplication(callId: string, key: string, body: SubmissionBody): Promise<Receipt> {
  // apiSend has no way to add a header: the CSRF token is read fresh, as the finance import does.
  const session = await apiGet<{ csrfToken?: string }>('/session');
  let response: Response;
  try {
    response = await fetch(apiUrl(`${callPath(callId)}/applications`), {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        accept: 'application/json, application/problem+json',
        'content-type': 'application/json',
        'idempotency-key': key,
        'x-csrf-token': session.csrfToken ?? '',
      },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, t.state.networkError);
  }
  const data: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const problem = data as Problem | undefined;
    throw new ApiError(response.status, problem?.detail || problem?.title || t.state.genericError, problem);
  }
  return data as Receipt;
}

/** The person an application was filed for tells the office what is wrong with it. */
export const useContest = (callId: string, applicationId: string) =>
  useCallMutation((body: { note: string }) =>
    apiSend<{ id: string; contestedAt: string }>('POST', `${appPath(callId, applicationId)}/contest`, body),
  );

export const useWithdraw = (callId: string, applicationId: string) =>
  useCallMutation(() => apiSend('POST', `${appPath(callId, applicationId)}/withdraw`));

export const useReview = (callId: string, applicationId: string) =>
  useCallMutation((body: ReviewInput) => apiSend('POST', `${appPath(callId, applicationId)}/review`, body));

export const useComputeRanking = (callId: string) =>
  useCallMutation((body: { phase: RankingPhase; actId: string }) =>
    apiSend<RankingResult>('POST', `${callPath(callId)}/ranking`, body),
  );

export const useIncreaseBudget = (callId: string) =>
  useCallMutation((body: { budgetCents: number; actId: string }) =>
    apiSend<RankingResult>('POST', `${callPath(callId)}/budget`, body),
  );

export const useCreatePaymentList = (callId: string) =>
  useCallMutation((body: PaymentListInput) =>
    apiSend<PaymentListView>('POST', `${callPath(callId)}/payment-lists`, body),
  );
