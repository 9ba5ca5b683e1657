import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { ApiError } from './api/client';
import { Layout } from './components/Layout';
import { NotFoundPage } from './components/NotFoundPage';
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

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <Navigate to="/ambiti" replace /> },
      { path: 'ambiti', element: <AmbitiListPage /> },
      { path: 'ambiti/:id', element: <AmbitoPage /> },
      { path: 'comuni', element: <ComuniSearchPage /> },
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
