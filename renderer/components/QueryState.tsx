// The two lines every screen shows for a react-query read before its data is there: a quiet
// "Loading …" while it is pending and an alert with the core's reason when it failed. One
// place, so every screen words and marks them the same way (the e2e suite and screen readers
// find the failure by its role="alert").
import type { UseQueryResult } from '@tanstack/react-query';

interface Props {
  query: Pick<UseQueryResult, 'isPending' | 'isError' | 'error'>;
  /** e.g. "Loading forms…"; left out where something nearby already says the data is coming. */
  loading?: string;
  /** e.g. "Could not load forms"; the core's reason follows after a colon. */
  failure: string;
}

export const QueryState = ({ query, loading, failure }: Props) => (
  <>
    {loading !== undefined && query.isPending && <p className="muted">{loading}</p>}
    {query.isError && (
      <p role="alert">
        {failure}: {query.error?.message}
      </p>
    )}
  </>
);
