// The toolbar's search field of the Submissions screen (Cmd+F focuses it: data-shortcut="search").
// The words are matched by main, in SQL, against the form title, the store and who submitted it;
// Esc clears the field (React Aria's SearchField), as in Mail or Finder.
import { Search, X } from 'lucide-react';
import { Button, Input, Label, SearchField } from 'react-aria-components';

export const SubmissionSearch = ({ value, onChange }: { value: string; onChange: (value: string) => void }) => (
  <SearchField className="search-field" value={value} onChange={onChange}>
    <Label className="visually-hidden">Search submissions</Label>
    <Search size={14} aria-hidden="true" className="search-field__icon" />
    <Input data-shortcut="search" placeholder="Search form, store, person" maxLength={200} />
    {value !== '' && (
      <Button className="search-field__clear" aria-label="Clear search">
        <X size={12} aria-hidden="true" />
      </Button>
    )}
  </SearchField>
);
