// The editor's outline: the form's sections and, under each, its fields, in order, each dragged
// into place (ReorderList). The order is the editor's state, so Save sends the new positions.
import type { EditorState } from './editor-state.js';
import { fieldsIn, sectionName } from './editor-state.js';
import { ReorderList } from './ReorderList.js';

interface Props {
  state: EditorState;
  onSections: (keys: string[]) => void;
  /** The new order of one section's fields (null: those without a section). */
  onFields: (sectionKey: string | null, keys: string[]) => void;
}

export const FormOutline = ({ state, onSections, onFields }: Props) => {
  const groups: { key: string | null; name: string }[] = state.sections.map((section, index) => ({
    key: section.key,
    name: sectionName(section.title, index),
  }));
  if (fieldsIn(state, null).length > 0) groups.push({ key: null, name: 'Fields without a section' });
  const canMove = state.sections.length > 1 || groups.some((group) => fieldsIn(state, group.key).length > 1);
  if (!canMove) return null;
  return (
    <section className="form-outline" aria-labelledby="form-outline-heading">
      <h2 id="form-outline-heading">Order (drag to rearrange)</h2>
      {state.sections.length > 1 && (
        <ReorderList
          label="Order of sections"
          items={groups.flatMap((group) => (group.key === null ? [] : [{ key: group.key, label: group.name }]))}
          onReorder={onSections}
        />
      )}
      {groups.map((group) => {
        const fields = fieldsIn(state, group.key);
        return (
          fields.length > 1 && (
            <div key={group.key ?? 'no-section'} className="reorder-list__nested">
              <p className="muted reorder-list__caption" aria-hidden="true">
                Fields in {group.name}
              </p>
              <ReorderList
                label={`Order of fields in ${group.name}`}
                items={fields.map((field, index) => ({
                  key: field.key,
                  label: field.label.trim() || `Field ${index + 1}`,
                }))}
                onReorder={(keys) => onFields(group.key, keys)}
              />
            </div>
          )
        );
      })}
    </section>
  );
};
