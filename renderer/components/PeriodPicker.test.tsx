// @vitest-environment jsdom
// The period picker as a manager uses it: typed segment by segment, or chosen on the calendar;
// its value is the day as YYYY-MM-DD, and a problem shows under it.
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { choosePeriod } from '../testing/period.js';
import { PeriodPicker } from './PeriodPicker.js';

afterEach(cleanup);

const Harness = ({ start, error }: { start: string; error?: string }) => {
  const [value, setValue] = useState(start);
  return (
    <>
      <PeriodPicker value={value} onChange={setValue} error={error} />
      <output aria-label="chosen">{value}</output>
    </>
  );
};

describe('PeriodPicker', () => {
  it('shows the day it holds and takes a typed one, in any date order', async () => {
    render(<Harness start="2026-11-02" />);
    const group = screen.getByRole('group', { name: 'Period' });
    expect(within(group).getByRole('spinbutton', { name: /^month/i })).toHaveTextContent('11');
    await choosePeriod(userEvent.setup(), document.body, '2025-03-17');
    expect(screen.getByRole('status', { name: 'chosen' })).toHaveTextContent('2025-03-17');
  });

  it('picks a day on the calendar', async () => {
    render(<Harness start="2026-11-02" />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: /calendar/i }));
    const calendar = await screen.findByRole('application');
    await user.click(within(calendar).getByRole('button', { name: /November 20, 2026/ }));
    expect(screen.getByRole('status', { name: 'chosen' })).toHaveTextContent('2026-11-20');
  });

  it('starts empty when it holds no day, and shows a problem under the field', () => {
    render(<Harness start="" error="Pick the day this value is for" />);
    expect(screen.getByText('Pick the day this value is for')).toBeVisible();
    expect(screen.getByRole('status', { name: 'chosen' })).toBeEmptyDOMElement();
  });
});
