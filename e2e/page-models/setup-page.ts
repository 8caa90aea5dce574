// First run (renderer/features/setup/SetupScreen.tsx + settings/ConnectionForm.tsx): server URL,
// device id and token, checked against the server before anything is saved.
import type { Locator, Page } from '@playwright/test';

export interface Connection {
  serverUrl: string;
  deviceId: string;
  token: string;
}

export class SetupPage {
  readonly heading: Locator;
  readonly form: Locator;
  readonly serverUrl: Locator;
  readonly deviceId: Locator;
  readonly token: Locator;
  readonly connectButton: Locator;
  /** "Could not connect" and the core's reason. */
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Connect to your Insight server' });
    this.form = page.getByRole('form', { name: 'Server connection' });
    this.serverUrl = this.form.getByLabel('Server URL');
    this.deviceId = this.form.getByLabel('Device ID');
    this.token = this.form.getByLabel('Device token');
    this.connectButton = this.form.getByRole('button', { name: 'Connect' });
    this.error = this.form.getByRole('alert');
  }

  async connect(connection: Connection) {
    await this.serverUrl.fill(connection.serverUrl);
    await this.deviceId.fill(connection.deviceId);
    await this.token.fill(connection.token);
    await this.connectButton.click();
  }
}
