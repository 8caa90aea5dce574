// POST /api/v1/devices/:id/revoke: a manager ends a lost phone's token at once (the next request
// with it gets 401, live connections are told to close), recorded in device_audit_log with the
// manager's device id. The same as `npm run device:revoke -- <id>`, for the app's device list;
// the admin route that command uses on the embedded database (http/admin.ts) answers through
// revokeAndAnswer too, so both say the same.
import { Router, type Response } from 'express';
import { deviceId as DeviceId } from '../../shared/protocol/sync.js';
import { DeviceScopeRequest, type DeviceScopeResponse } from '../../shared/protocol/analytics.js';
import { changeDeviceStore, type ScopeChange } from '../auth/device-scope.js';
import { revokeDevice, type DeviceActor } from '../auth/devices.js';
import type { DeviceRevocations } from '../auth/revocation.js';
import type { ServerDatabase } from '../db/client.js';
import { assertManager, currentDevice } from './auth.js';
import { HttpError, validationError } from './errors.js';

/** The :id of a revoke route, or 400 saying why it is not a device id. */
export function deviceIdParam(raw: unknown): string {
  const id = DeviceId.safeParse(raw);
  if (!id.success) throw new HttpError(400, `invalid device id: ${id.error.issues[0]?.message ?? 'malformed'}`);
  return id.data;
}

/** Revokes the device (404 if none is enrolled), tells this process's open connections, and answers. */
export async function revokeAndAnswer(
  res: Response,
  db: ServerDatabase,
  revocations: DeviceRevocations,
  id: string,
  actor?: DeviceActor,
): Promise<void> {
  const result = await revokeDevice(db, id, actor);
  if (result.outcome === 'unknown') throw new HttpError(404, `no device ${id} is enrolled`);
  if (result.outcome === 'revoked') revocations.announce(id);
  res.json({
    success: true,
    device_id: id,
    revoked_at: result.revoked_at.toISOString(),
    already_revoked: result.outcome === 'already_revoked',
  });
}

/** Moves a store device to `store` (404 unknown, 400 a manager) and answers; the CLI's admin route answers through it too. */
export async function scopeAndAnswer(
  res: Response,
  db: ServerDatabase,
  id: string,
  body: unknown,
  actor?: DeviceActor,
): Promise<void> {
  const parsed = DeviceScopeRequest.safeParse(body);
  if (!parsed.success) throw validationError('invalid store change', parsed.error, body);
  const result: ScopeChange = await changeDeviceStore(db, id, parsed.data.store, actor);
  if (result.outcome === 'unknown') throw new HttpError(404, `no device ${id} is enrolled`);
  if (result.outcome === 'manager')
    throw new HttpError(400, `device ${id} is a manager device: it sees every store and belongs to none`);
  const answer: DeviceScopeResponse = {
    success: true,
    device_id: id,
    store: result.store,
    previous_store: result.from_store,
    moved: result.outcome === 'moved',
  };
  res.json(answer);
}

export function deviceRoutes(db: ServerDatabase, revocations: DeviceRevocations): Router {
  const router = Router();
  router.post('/:id/revoke', async (req, res) => {
    const manager = currentDevice(res);
    assertManager(manager, 'or revoke devices');
    const id = deviceIdParam(req.params.id);
    // Revoking itself would lock the manager out mid-request, with no way back from the app.
    if (id === manager.id)
      throw new HttpError(400, 'a device cannot revoke itself; use npm run device:revoke on the server');
    await revokeAndAnswer(res, db, revocations, id, manager.id);
  });
  // A manager moves a store device to another store (invariant 12): its next pull brings the new
  // store's rows and removes the old store's.
  router.post('/:id/scope', async (req, res) => {
    const manager = currentDevice(res);
    assertManager(manager, 'or move devices between stores');
    await scopeAndAnswer(res, db, deviceIdParam(req.params.id), req.body, manager.id);
  });
  return router;
}
