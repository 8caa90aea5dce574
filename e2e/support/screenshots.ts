// Screenshots of the main screens: always kept as test artifacts (test-results/<test>/<name>.png,
// attached to the HTML report). With E2E_DOCS_SCREENSHOTS=1 the chromium project also writes the
// few the README shows to docs/screenshots/ (refresh them after a UI change and commit them).
import type { Page, TestInfo } from '@playwright/test';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { projectDir } from './processes.js';

const docsScreenshotsDir = join(projectDir, 'docs', 'screenshots');

/** The screenshots committed under docs/screenshots, each from the scenario that fills it best. */
const docsScreenshots = new Set([
  'setup-wrong-token',
  'forms',
  'form-editor',
  'submissions',
  'kpis-offline',
  'sync-alert',
  'conflicts',
  'delete-confirmation',
  'screen-submissions-dark',
  'sync-popover-dark',
  'dashboard',
  'dashboard-dark',
  'kpis-overview',
  'stores',
]);

export async function saveScreenshot(page: Page, name: string, testInfo: TestInfo): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
  await testInfo.attach(name, { path, contentType: 'image/png' });
  if (process.env.E2E_DOCS_SCREENSHOTS === '1' && testInfo.project.name === 'chromium' && docsScreenshots.has(name)) {
    await mkdir(docsScreenshotsDir, { recursive: true });
    await copyFile(path, join(docsScreenshotsDir, `${name}.png`));
  }
}
