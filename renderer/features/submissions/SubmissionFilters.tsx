// The submissions filters: form, store, status and a date range (whole local days); the search
// text lives with them (one value kept per session) but is typed in the toolbar.
import { useQuery } from '@tanstack/react-query';
import type { SubmissionFilter } from '../../../shared/ipc.js';
import { submissionStatuses } from '../../../shared/tables.js';
import { useInsight } from '../../api/context.js';
import { formsListQuery } from '../../api/queries.js';
import { StorePicker } from '../../components/StorePicker.js';

// A type, not an interface: Object.values(filters) then reads as string[], not any[].
export type FilterValues = {
  formId: string;
  storeId: string;
  status: string;
  from: string;
  to: string;
  /** The toolbar's search field (SubmissionSearch.tsx): words in the form title, store or submitter. */
  search: string;
};

export const noFilters: FilterValues = { formId: '', storeId: '', status: '', from: '', to: '', search: '' };

export const statusLabels: Record<(typeof submissionStatuses)[number], string> = {
  in_progress: 'In progress',
  completed: 'Completed',
};

/** What the filters choose: a `submissions:list` request without its paging and sort. */
export type ListFilter = Omit<SubmissionFilter, 'offset' | 'limit' | 'sort' | 'direction'>;

/** The filter part of a `submissions:list` request; empty inputs mean "any". */
export const toFilter = (values: FilterValues): ListFilter => ({
  ...(values.formId ? { form_id: values.formId } : {}),
  ...(values.storeId.trim() ? { store_id: values.storeId.trim() } : {}),
  ...(values.status ? { status: values.status as SubmissionFilter['status'] } : {}),
  // Date inputs give local days; the range covers each whole day on this Mac's clock.
  ...(values.from ? { from: new Date(`${values.from}T00:00:00`).toISOString() } : {}),
  ...(values.to ? { to: new Date(`${values.to}T23:59:59.999`).toISOString() } : {}),
  ...(values.search.trim() ? { search: values.search.trim() } : {}),
});

export const SubmissionFilters = ({
  values,
  onChange,
}: {
  values: FilterValues;
  onChange: (values: FilterValues) => void;
}) => {
  const api = useInsight();
  const forms = useQuery(formsListQuery(api));
  const set = (change: Partial<FilterValues>) => onChange({ ...values, ...change });

  return (
    <form className="filters" aria-label="Filter submissions" onSubmit={(e) => e.preventDefault()}>
      <label>
        Form
        <select value={values.formId} onChange={(e) => set({ formId: e.target.value })}>
          <option value="">All forms</option>
          {(forms.data ?? []).map((form) => (
            <option key={form.id} value={form.id}>
              {form.title}
            </option>
          ))}
        </select>
      </label>
      <StorePicker
        value={values.storeId || null}
        onChange={(code) => set({ storeId: code ?? '' })}
        emptyLabel="Any store"
      />
      <label>
        Status
        <select value={values.status} onChange={(e) => set({ status: e.target.value })}>
          <option value="">Any status</option>
          {submissionStatuses.map((status) => (
            <option key={status} value={status}>
              {statusLabels[status]}
            </option>
          ))}
        </select>
      </label>
      <label>
        From
        <input type="date" value={values.from} onChange={(e) => set({ from: e.target.value })} />
      </label>
      <label>
        To
        <input type="date" value={values.to} onChange={(e) => set({ to: e.target.value })} />
      </label>
      <button type="button" className="button button--small" onClick={() => onChange(noFilters)}>
        Clear filters
      </button>
    </form>
  );
};
