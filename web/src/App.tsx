import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { ApiError } from './api/client';
import { Layout } from './components/Layout';
import { NotFoundPage } from './components/NotFoundPage';
import { Loading } from './components/QueryState';
import { LoginPage } from './features/identity/LoginPage';
import { AmbitiListPage } from './features/territory/AmbitiListPage';
import { AmbitoPage } from './features/territory/AmbitoPage';
import { ComuniSearchPage } from './features/territory/ComuniSearchPage';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 60_000,
      refetchOnWindowFocus: false,
      // Client errors (404, 400) will not change on retry; only transient failures are retried.
      retry: (failures, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
    },
  },
});

const financeRoutes = [
  {
    path: 'ambiti/:id/bilancio',
    lazy: async () => ({
      Component: (await import('./features/finance/BudgetPage')).BudgetPage,
    }),
  },
  {
    path: 'ambiti/:id/bilancio/linee',
    lazy: async () => ({
      Component: (await import('./features/finance/BudgetLinesPage')).BudgetLinesPage,
    }),
  },
  {
    path: 'ambiti/:id/bilancio/linee/:lineId',
    lazy: async () => ({
      Component: (await import('./features/finance/BudgetLinePage')).BudgetLinePage,
    }),
  },
  {
    path: 'ambiti/:id/bilancio/rendiconto',
    lazy: async () => ({
      Component: (await import('./features/finance/ReportPage')).ReportPage,
    }),
  },
  {
    path: 'ambiti/:id/bilancio/importa',
    lazy: async () => ({
      Component: (await import('./features/finance/ImportPage')).ImportPage,
    }),
  },
  {
    path: 'ambiti/:id/riparti',
    lazy: async () => ({
      Component: (await import('./features/finance/split/SplitPage')).SplitPage,
    }),
  },
  {
    path: 'ambiti/:id/assistenti-sociali',
    lazy: async () => ({
      Component: (await import('./features/finance/SocialWorkersPage')).SocialWorkersPage,
    }),
  },
];

/** Calls for benefits: public pages, the citizen's form (with its codice fiscale tables) and the office's. */
const callRoutes = [
  {
    path: 'ambiti/:id/bandi',
    lazy: async () => ({
      Component: (await import('./features/calls/CallsListPage')).CallsListPage,
    }),
  },
  {
    path: 'ambiti/:id/bandi/nuovo',
    lazy: async () => ({
      Component: (await import('./features/calls/manage/NewCallPage')).NewCallPage,
    }),
  },
  {
    path: 'bandi/:callId',
    lazy: async () => ({ Component: (await import('./features/calls/CallPage')).CallPage }),
  },
  {
    path: 'bandi/:callId/domanda',
    lazy: async () => ({ Component: (await import('./features/calls/apply/ApplyPage')).ApplyPage }),
  },
  {
    path: 'bandi/:callId/domande',
    lazy: async () => ({
      Component: (await import('./features/calls/manage/ApplicationsPage')).ApplicationsPage,
    }),
  },
  {
    path: 'bandi/:callId/domande/:applicationId',
    lazy: async () => ({
      Component: (await import('./features/calls/manage/ApplicationPage')).ApplicationPage,
    }),
  },
  {
    path: 'bandi/:callId/domande/:applicationId/ricevuta',
    lazy: async () => ({ Component: (await import('./features/calls/ReceiptPage')).ReceiptPage }),
  },
  {
    path: 'bandi/:callId/graduatoria',
    lazy: async () => ({ Component: (await import('./features/calls/manage/RankingPage')).RankingPage }),
  },
  {
    path: 'bandi/:callId/liquidazioni',
    lazy: async () => ({
      Component: (await import('./features/calls/manage/PaymentListsPage')).PaymentListsPage,
    }),
  },
  {
    path: 'le-mie-domande',
    lazy: async () => ({
      Component: (await import('./features/calls/MyApplicationsPage')).MyApplicationsPage,
    }),
  },
];

const router = createBrowserRouter([
  {
    element: <Layout />,
    // Shown while a lazy page is fetched on a direct visit (e.g. a bookmarked /registro-accessi).
    hydrateFallbackElement: <Loading />,
    children: [
      { index: true, element: <Navigate to="/ambiti" replace /> },
      { path: 'ambiti', element: <AmbitiListPage /> },
      { path: 'ambiti/:id', element: <AmbitoPage /> },
      { path: 'comuni', element: <ComuniSearchPage /> },
      { path: 'accesso', element: <LoginPage /> },
      {
        path: 'piani/:id',
        lazy: async () => ({ Component: (await import('./features/plan/PlanPage')).PlanPage }),
      },
      {
        path: 'piani/:id/sintesi',
        lazy: async () => ({
          Component: (await import('./features/plan/PlanOverviewPage')).PlanOverviewPage,
        }),
      },
      // The Ambito's money (and the charts library): loaded on demand, for those who may read it.
      ...financeRoutes,
      ...callRoutes,
      // Pages for logged-in staff only: loaded on demand, so visitors never download them.
      {
        path: 'amministrazione/utenti',
        lazy: async () => ({ Component: (await import('./features/identity/UsersPage')).UsersPage }),
      },
      {
        path: 'registro-accessi',
        lazy: async () => ({ Component: (await import('./features/audit/AuditPage')).AuditPage }),
      },
      {
        path: 'account/sicurezza',
        lazy: async () => ({ Component: (await import('./features/identity/SecurityPage')).SecurityPage }),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
