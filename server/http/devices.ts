// POST /api/v1/devices/:id/revoke: a manager ends a lost phone's token at once (the next request
// with it gets 401, live connections are told to close), recorded in device_audit_log with the
// manager's device id. The same as `npm run device:revoke -- <id>`, for the app's device list.
import { Router } from 'express';
import { deviceId as DeviceId } from '../../shared/protocol/sync.js';
import { revokeDevice } from '../auth/devices.js';
import type { DeviceRevocations } from '../auth/revocation.js';
import type { ServerDatabase } from '../db/client.js';
import { assertManager, currentDevice } from './auth.js';
import { HttpError } from './errors.js';

export function deviceRoutes(db: ServerDatabase, revocations: DeviceRevocations): Router {
  const router = Router();
  router.post('/:id/revoke', async (req, res) => {
    const manager = currentDevice(res);
    assertManager(manager, 'or revoke devices');
    const id = DeviceId.safeParse(req.params.id);
    if (!id.success) throw new HttpError(400, `invalid device id: ${id.error.issues[0]?.message ?? 'malformed'}`);
    // Revoking itself would lock the manager out mid-request, with no way back from the app.
    if (id.data === manager.id)
      throw new HttpError(400, 'a device cannot revoke itself; use npm run device:revoke on the server');
    const result = await revokeDevice(db, id.data, manager.id);
    if (result.outcome === 'unknown') throw new HttpError(404, `no device ${id.data} is enrolled`);
    if (result.outcome === 'revoked') revocations.announce(id.data);
    res.json({
      success: true,
      device_id: id.data,
      revoked_at: result.revoked_at.toISOString(),
      already_revoked: result.outcome === 'already_revoked',
    });
  });
  return router;
}
