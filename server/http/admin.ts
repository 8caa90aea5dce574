// POST /api/v1/admin/devices (enroll) and /admin/devices/:id/revoke: device:add and device:revoke
// through a running server on the embedded database, where they cannot open the data folder
// themselves (see db/embedded-lock.ts).
// Exists only when the server has an admin secret (embedded mode), answers only on loopback, and
// needs the secret from the data folder's server.json (readable only by the user running it).
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { deviceId, DeviceRole, storeCode } from '../../shared/protocol/sync.js';
import { checkedScope, enrollDevice, findDevice } from '../auth/devices.js';
import type { DeviceRevocations } from '../auth/revocation.js';
import type { ServerDatabase } from '../db/client.js';
import { deviceIdParam, revokeAndAnswer, scopeAndAnswer } from './devices.js';
import { HttpError, validationError } from './errors.js';

export const ADMIN_SECRET_HEADER = 'x-insight-admin-secret';
const EnrollRequest = z.strictObject({
  device_id: deviceId,
  role: DeviceRole,
  /** Re-adding an enrolled device replaces its token: only when asked for (device:add --force). */
  replace: z.boolean().default(false),
  /** The store a store device belongs to (required for the store role, refused for a manager). */
  store: storeCode.optional(),
});

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const digest = (value: string) => createHash('sha256').update(value).digest();

export function adminRoutes(db: ServerDatabase, adminSecret: string, revocations: DeviceRevocations): Router {
  const router = Router();
  router.use((req, _res, next) => {
    if (!loopback.has(req.socket.remoteAddress ?? ''))
      throw new HttpError(403, 'device administration is only offered on loopback');
    const given = req.get(ADMIN_SECRET_HEADER) ?? '';
    if (!timingSafeEqual(digest(given), digest(adminSecret))) throw new HttpError(401, 'wrong or missing admin secret');
    next();
  });
  router.post('/devices', async (req, res) => {
    const parsed = EnrollRequest.safeParse(req.body);
    if (!parsed.success) throw validationError('invalid enrollment', parsed.error, req.body);
    const { role, store } = parsed.data;
    if (role === 'store' && !store)
      throw new HttpError(400, 'a store device belongs to one store: give --store <code>, e.g. --store S001');
    try {
      checkedScope(role, store);
    } catch (error) {
      throw new HttpError(400, (error as Error).message);
    }
    const existing = await findDevice(db, parsed.data.device_id);
    if (existing && !parsed.data.replace) {
      throw new HttpError(
        409,
        `device ${existing.id} is already enrolled (as ${existing.role}); adding it again replaces its token`,
      );
    }
    const token = await enrollDevice(db, parsed.data.device_id, role, 'cli', store ?? null);
    res.json({ success: true, device_id: parsed.data.device_id, role, store: store ?? null, token });
  });
  router.post('/devices/:id/revoke', async (req, res) => {
    await revokeAndAnswer(res, db, revocations, deviceIdParam(req.params.id));
  });
  router.post('/devices/:id/scope', async (req, res) => {
    await scopeAndAnswer(res, db, deviceIdParam(req.params.id), req.body);
  });
  return router;
}
