// First run (issue 4 item 4): until a server and token are saved, the app asks for them and
// checks the connection, saying clearly whether the address or the token was wrong.
import type { AppConfig } from '../../../shared/ipc.js';
import { ConnectionForm } from '../settings/ConnectionForm.js';

export const SetupScreen = ({ config }: { config: AppConfig }) => (
  <main className="setup">
    <div className="setup__card">
      <h1>Connect to your Insight server</h1>
      <p>
        The Store Manager keeps its data on this Mac and syncs it with your store’s server. Enter the server’s address
        and the device id and token you were given when this Mac was enrolled.
      </p>
      <ConnectionForm config={config} />
    </div>
  </main>
);
