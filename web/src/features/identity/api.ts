import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, apiGet, apiSend } from '../../api/client';
import type { ItemsResponse } from '../../api/types';
import type { CreateUserBody, GrantBody, OidcInfo, SessionView, TotpSetup, UserView } from './types';

export const identityKeys = {
  session: ['session'] as const,
  users: ['users'] as const,
  oidc: ['auth', 'oidc'] as const,
};

/** The current session, or `null` when nobody is logged in (the 401 still refreshes the CSRF token). */
export function useSession() {
  return useQuery({
    queryKey: identityKeys.session,
    queryFn: async ({ signal }) => {
      try {
        return await apiGet<SessionView>('/session', {}, signal);
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 5 * 60_000,
  });
}

export interface LoginInput {
  username: string;
  password: string;
  totp?: string;
}

/** Everything cached belongs to the previous identity: dropped whenever the session changes. */
function resetFor(queryClient: ReturnType<typeof useQueryClient>, session: SessionView | null) {
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== identityKeys.session[0] });
  queryClient.setQueryData(identityKeys.session, session);
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: LoginInput) => apiSend<SessionView>('POST', '/session', input),
    onSuccess: (session) => resetFor(queryClient, session),
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiSend('DELETE', '/session', undefined, { everywhere: 'false' }),
    onSettled: async () => {
      resetFor(queryClient, null);
      // The anonymous session has its own CSRF token: fetched now so the next login can use it.
      await queryClient.invalidateQueries({ queryKey: identityKeys.session });
    },
  });
}

/** Whether login with a digital identity (SPID/CIE via OIDC) is offered; a 404 means it is not. */
export function useOidcInfo() {
  return useQuery({
    queryKey: identityKeys.oidc,
    queryFn: async ({ signal }): Promise<OidcInfo> => {
      try {
        return await apiGet<OidcInfo>('/auth/oidc', {}, signal);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return { enabled: false, label: '' };
        throw err;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useUsers() {
  return useQuery({
    queryKey: identityKeys.users,
    queryFn: ({ signal }) => apiGet<ItemsResponse<UserView>>('/users', {}, signal),
    select: (data) => data.items,
    staleTime: 0,
  });
}

function useUsersMutation<TInput, TResult>(fn: (input: TInput) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: identityKeys.users }),
  });
}

export const useCreateUser = () =>
  useUsersMutation((body: CreateUserBody) => apiSend<{ id: string }>('POST', '/users', body));

export const useDisableUser = () =>
  useUsersMutation((id: string) => apiSend('POST', `/users/${encodeURIComponent(id)}/disable`));

export const useGrantRole = () =>
  useUsersMutation(({ userId, grant }: { userId: string; grant: GrantBody }) =>
    apiSend<{ id: string }>('POST', `/users/${encodeURIComponent(userId)}/roles`, grant),
  );

export const useRevokeRole = () =>
  useUsersMutation(({ userId, assignmentId }: { userId: string; assignmentId: string }) =>
    apiSend('DELETE', `/users/${encodeURIComponent(userId)}/roles/${encodeURIComponent(assignmentId)}`),
  );

function useSessionMutation<TInput, TResult>(fn: (input: TInput) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: identityKeys.session }),
  });
}

/** Who is asking again: the current password, and a code of the active second factor if any. */
export interface ReauthInput {
  password: string;
  code?: string;
}

export const useStartTotp = () =>
  useMutation({ mutationFn: (input: ReauthInput) => apiSend<TotpSetup>('POST', '/session/totp', input) });

export const useConfirmTotp = () =>
  useSessionMutation((code: string) =>
    apiSend<{ recoveryCodes: string[] }>('POST', '/session/totp/confirm', { code }),
  );

export const useDisableTotp = () =>
  useSessionMutation((input: Required<ReauthInput>) => apiSend('DELETE', '/session/totp', input));
