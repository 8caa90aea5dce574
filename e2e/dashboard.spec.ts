// Home, the screen the app opens on, with data: two published forms, two stores (one known from a
// submission, one from the team), a store completing today's opening checklist over live sync,
// and Sales entered for both stores over three months. The completion lists the missing first;
// the trend shows both stores against their targets for the period picked; a recent submission
// opens its detail; the sync card leads to Devices. The KPI overview's cells are edited in place,
// and entering the same store, metric and day again edits that value. Light and dark.
import type { Page } from '@playwright/test';
import type { InsightApi, IpcChannel, IpcRequest } from '../shared/ipc.js';
import { expect, test } from './fixtures.js';
import { DashboardPage } from './page-models/dashboard-page.js';
import { FormsPage } from './page-models/forms-page.js';
import { KpisPage } from './page-models/kpis-page.js';
import { openingChecklist } from './support/opening-checklist.js';

/** Data the scenario does not need to type: through the app's own core, as the UI would send it. */
async function invoke<C extends IpcChannel>(page: Page, channel: C, request: IpcRequest<C>): Promise<void> {
  const call = { channel: channel as string, request: request as unknown };
  const result = await page.evaluate(
    ({ channel, request }) =>
      (window as unknown as { insight: InsightApi }).insight.invoke(channel as IpcChannel, request as never),
    call,
  );
  if (!result.ok) throw new Error(`${channel} failed: ${result.error}`);
}

const pad = (n: number) => String(n).padStart(2, '0');
const day = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

test('Home shows completion with the missing first, KPI trends against targets, recent submissions and sync, in light and dark', async ({
  managerApp,
  shell,
  storeDevice,
  captureScreen,
}) => {
  const page = managerApp.page;
  const home = new DashboardPage(page);
  const now = new Date();
  const today = day(now);
  const lastMonth = day(new Date(now.getFullYear(), now.getMonth() - 1, 1));
  const twoMonthsAgo = day(new Date(now.getFullYear(), now.getMonth() - 2, 1));
  const daysThisWeek = ((now.getDay() + 6) % 7) + 1; // Monday is day 1

  // The app opens on Home; with nothing yet, each card says what to do.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Home');
  await expect(shell.navigation.getByRole('link', { name: 'Home' })).toHaveAttribute('aria-current', 'page');
  await expect(home.completion).toContainText('No form is published yet');
  await expect(home.trends).toContainText('No KPI values yet');
  await expect(home.recent).toContainText('No submissions yet');

  // Two published forms; store-002 is known from the team, store-001 from its submission.
  await shell.open('Forms');
  await new FormsPage(page).createForm(openingChecklist.title, openingChecklist.sections, { publish: true });
  await invoke(page, 'forms:save', { form: { title: 'Safety walk', status: 'published' }, sections: [], fields: [] });
  await invoke(page, 'team:save', { name: 'Sam Lee', store_id: 'store-002' });
  await shell.syncPanel.expectUpToDate();
  await storeDevice.submit(openingChecklist.title, {
    store: 'store-001',
    by: 'Alex',
    answers: { 'Lights on': true, 'Till float': 150, 'Shelf state': 'Full' },
  });

  // Sales: two months of history, and today's values typed with the period picker.
  for (const [store_id, period, value, target] of [
    ['store-001', twoMonthsAgo, 900, 1000],
    ['store-001', lastMonth, 1100, 1000],
    ['store-002', twoMonthsAgo, 700, 800],
    ['store-002', lastMonth, 750, 800],
  ] as const) {
    await invoke(page, 'kpis:create', { metric: 'Sales', store_id, period, value, target });
  }
  const kpis = new KpisPage(page);
  await shell.open('KPIs');
  await kpis.enter({ metric: 'Sales', value: 1200, store: 'store-001', period: today, target: 1000 });
  await kpis.enter({ metric: 'Sales', value: 820, store: 'store-002', period: today, target: 800 });
  // The same store, metric and day again: that value changes, no second one appears.
  const form = kpis.entryForm;
  await form.getByLabel('Value').fill('780');
  await form.getByLabel('Target').fill('800');
  await form.getByRole('button', { name: 'Add KPI value' }).click();
  await expect(form.getByRole('status')).toHaveText(
    `KPI value updated: Sales at store-002 for ${today} already had one.`,
  );
  await expect(kpis.cell('Sales', 'store-002')).toHaveAccessibleName(
    `Sales at store-002: 780, 20 under target (800), ${today}. Edit`,
  );
  await expect(kpis.cell('Sales', 'store-002')).toHaveAttribute('data-tone', 'under');
  await expect(kpis.cell('Sales', 'store-001')).toHaveAttribute('data-tone', 'on');
  await kpis.editCell('Sales', 'store-002', 810);
  await expect(kpis.cell('Sales', 'store-002')).toHaveAttribute('data-tone', 'on');
  await captureScreen('kpis-overview');

  // Home, from the keyboard (Cmd+1, Ctrl elsewhere).
  await page.keyboard.press(`${process.platform === 'darwin' ? 'Meta' : 'Control'}+1`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Home');
  const expectedWeek = `1 of ${daysThisWeek} ${daysThisWeek === 1 ? 'day' : 'days'}`;
  await expect
    .poll(() => home.completionRows())
    .toEqual([
      [
        'Opening checklist',
        'store-002',
        'Not yet',
        `0 of ${daysThisWeek} ${daysThisWeek === 1 ? 'day' : 'days'}`,
        'Missing today',
      ],
      [
        'Safety walk',
        'store-001',
        'Not yet',
        `0 of ${daysThisWeek} ${daysThisWeek === 1 ? 'day' : 'days'}`,
        'Missing today',
      ],
      [
        'Safety walk',
        'store-002',
        'Not yet',
        `0 of ${daysThisWeek} ${daysThisWeek === 1 ? 'day' : 'days'}`,
        'Missing today',
      ],
      ['Opening checklist', 'store-001', 'Done', expectedWeek, daysThisWeek === 1 ? 'On track' : 'Behind this week'],
    ]);
  await expect(home.completion).toContainText('1 of 4 inspections done today');

  await expect(home.chart('Sales by store, last 3 months: 2 stores, 6 values')).toBeVisible();
  const latest = home.trends.getByRole('table', { name: 'Sales: latest against target' });
  await expect(latest.getByRole('row', { name: /store-001/ }).getByRole('cell')).toHaveText([
    today,
    '1,200',
    '1,000',
    'On target',
  ]);
  await expect(latest.getByRole('row', { name: /store-002/ }).getByRole('cell')).toHaveText([
    today,
    '810',
    '800',
    'On target',
  ]);
  await home.choosePeriod('4 weeks');
  await expect(home.chart('Sales by store, last 4 weeks: 2 stores, 2 values')).toBeVisible();
  await home.choosePeriod('3 months');
  await expect(home.chart(/last 3 months: 2 stores, 6 values/)).toBeVisible();

  await expect(home.sync).toContainText(/Synced|pending/);
  await expect(home.sync.getByText(/of \d+ devices? synced in the last day/)).toBeVisible();
  await captureScreen('dashboard');

  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(22, 22, 24)');
  await expect(home.chart(/last 3 months/)).toBeVisible();
  await captureScreen('dashboard-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // A recent submission opens its detail; the sync card leads to Devices.
  await home.recent.getByRole('link', { name: openingChecklist.title }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(openingChecklist.title);
  await shell.open('Home');
  await home.sync.getByRole('link', { name: 'Open Devices' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Devices');
});
