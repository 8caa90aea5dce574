// The id-set literal every push statement takes (any-of.ts) and the pushed rows' uuid spelling
// (rows.ts): built without copies, so what they return is checked here value by value.
import { describe, expect, it } from 'vitest';
import { arrayLiteral } from './any-of.js';
import { withCanonicalUuids, wireColumnsOnly } from './rows.js';

describe('arrayLiteral', () => {
  it('quotes every element, escapes quotes and backslashes, and spells an empty set', () => {
    expect(arrayLiteral([])).toBe('{}');
    expect(arrayLiteral(['a'])).toBe('{"a"}');
    expect(arrayLiteral(['a', 'b'])).toBe('{"a","b"}');
    expect(arrayLiteral(['x"y', 'back\\slash', ''])).toBe('{"x\\"y","back\\\\slash",""}');
  });

  it('leaves the array it was given as it was', () => {
    const ids = ['a', 'b'];
    arrayLiteral(ids);
    expect(ids).toEqual(['a', 'b']);
  });
});

describe('withCanonicalUuids', () => {
  const id = '0b7e4c1a-1111-4222-8333-444455556666';
  it('returns a row already in lower case as it is', () => {
    const row = { id, submission_id: id, change_id: id, value: 'A' };
    expect(withCanonicalUuids('submission_answers', row)).toBe(row);
  });

  it('lower-cases upper-case uuids in a copy, leaving the pushed row untouched', () => {
    const row = { id: id.toUpperCase(), submission_id: id, change_id: id.toUpperCase(), value: 'A' };
    const canonical = withCanonicalUuids('submission_answers', row);
    expect(canonical).toEqual({ id, submission_id: id, change_id: id, value: 'A' });
    expect(row.id).toBe(id.toUpperCase());
  });
});

describe('wireColumnsOnly', () => {
  it('keeps the wire columns in their order, absent ones as null, and drops the rest', () => {
    const row = { value: 1, id: 'i', change_id: 'c', updated_at: 't', submission_id: 's', field_id: 'f' };
    const wire = wireColumnsOnly('submission_answers', row);
    expect(Object.entries(wire)).toEqual([
      ['id', 'i'],
      ['updated_at', 't'],
      ['deleted_at', null],
      ['submission_id', 's'],
      ['field_id', 'f'],
      ['value', 1],
    ]);
  });
});
