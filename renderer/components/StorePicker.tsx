// Every store picker in the app (submission filters, KPI entry, team member): a React Aria combo
// box over the synced stores, so a store is chosen from the records (type "down" or "S00" to
// narrow the list) instead of typed exactly. Its value is the store's code, what every row's
// `store_id` holds; null is "no store" (or "any store" in a filter). Inactive stores are not
// offered, but a row that already names one, or names a code that is not a store record (rows
// written before stores were records), still shows it as chosen.
import { useQuery } from '@tanstack/react-query';
import { ChevronDown, X } from 'lucide-react';
import { Button, ComboBox, Input, Label, ListBox, ListBoxItem, Popover, Text, type Key } from 'react-aria-components';
import type { RowOf } from '../../shared/tables.js';
import { useInsight } from '../api/context.js';
import { storesQuery } from '../api/queries.js';

interface Option {
  /** The store code. */
  id: string;
  text: string;
}

interface Props {
  label?: string;
  /** The chosen store's code; null for none. */
  value: string | null;
  onChange: (code: string | null) => void;
  /** The placeholder when none is chosen: "Any store" in a filter, "No store" in a form. */
  emptyLabel?: string;
  /** Shown under the field, and marks it invalid (a form's error for this field). */
  error?: string;
}

type Store = RowOf<'stores'>;

export const storeText = (store: Pick<Store, 'code' | 'name'>) => `${store.code} · ${store.name}`;

/**
 * A store code as people read it in lists ("S001 · Downtown"): the bare code when it names no
 * store record (rows written before stores were records), a dash for none.
 */
export const useStoreLabel = (): ((code: string | null) => string) => {
  const api = useInsight();
  const stores = useQuery(storesQuery(api));
  return (code) => {
    if (!code) return '—';
    const store = stores.data?.find((s) => s.code === code && !s.deleted_at);
    return store ? storeText(store) : code;
  };
};

/** The choices: the active stores by code, and the current value when it is not among them. */
export const storeOptions = (stores: readonly Store[], value: string | null): Option[] => {
  const live = stores.filter((s) => !s.deleted_at);
  const offered = live.filter((s) => s.active).map((s) => ({ id: s.code, text: storeText(s) }));
  const options: Option[] = [...offered];
  if (value && !offered.some((o) => o.id === value)) {
    const known = live.find((s) => s.code === value);
    options.push({ id: value, text: known ? `${storeText(known)} (inactive)` : `${value} (not in Stores)` });
  }
  return options;
};

export const StorePicker = ({ label = 'Store', value, onChange, emptyLabel = 'No store', error }: Props) => {
  const api = useInsight();
  const stores = useQuery(storesQuery(api));
  const options = storeOptions(stores.data ?? [], value);
  return (
    <ComboBox
      className="store-picker"
      // defaultItems, not items: the combo box then narrows them by what is typed.
      defaultItems={options}
      value={value}
      // Emptying the text chooses no store (the clear button does the same in one click).
      onChange={(key: Key | null) => onChange(key === null ? null : String(key))}
      menuTrigger="focus"
      isInvalid={Boolean(error)}
    >
      <Label>{label}</Label>
      <div className="store-picker__field">
        <Input placeholder={emptyLabel} />
        {value !== null && (
          // A plain button: inside the combo box, React Aria's Button would become its trigger.
          <button
            type="button"
            className="store-picker__clear"
            aria-label={`Clear ${label.toLowerCase()}`}
            onClick={() => onChange(null)}
          >
            <X size={12} aria-hidden="true" />
          </button>
        )}
        <Button className="store-picker__button">
          <ChevronDown size={14} aria-hidden="true" />
        </Button>
      </div>
      {error && (
        <Text slot="errorMessage" className="field-error">
          {error}
        </Text>
      )}
      {stores.isError && (
        <Text slot="description" className="field-error">
          Could not load the stores: {stores.error.message}
        </Text>
      )}
      <Popover className="popover store-picker__popover" placement="bottom start" offset={4}>
        <ListBox<Option> className="store-picker__list">
          {(option) => (
            <ListBoxItem id={option.id} textValue={option.text} className="store-picker__option">
              {option.text}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
};
