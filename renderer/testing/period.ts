// Types a day into a PeriodPicker the way a manager does, segment by segment. It finds the
// segments by name (month, day, year), so it works whatever the locale's date order.
import { within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';

export const choosePeriod = async (user: UserEvent, container: HTMLElement, day: string, label = 'Period') => {
  const [year, month, date] = day.split('-');
  const group = within(container).getByRole('group', { name: label });
  for (const [name, digits] of [
    [/^month/i, month!],
    [/^day/i, date!],
    [/^year/i, year!],
  ] as const) {
    await user.click(within(group).getByRole('spinbutton', { name }));
    await user.keyboard(digits);
  }
};
