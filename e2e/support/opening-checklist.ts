// The form most scenarios start from: what a store fills in before opening its doors.
import type { SectionSpec } from '../page-models/form-editor-page.js';

export const openingChecklist = {
  title: 'Opening checklist',
  description: 'Before the doors open',
  sections: [
    {
      title: 'Front of store',
      fields: [
        { label: 'Lights on', type: 'Yes / No', required: true },
        { label: 'Till float', type: 'Number', required: true },
      ],
    },
    {
      title: 'Stock',
      fields: [{ label: 'Shelf state', type: 'Choice', options: ['Full', 'Gaps', 'Empty'] }],
    },
  ] satisfies SectionSpec[],
};
