// POST /api/v1/admin/devices: enrollment through a running server on the embedded database,
// where `npm run device:add` cannot open the data folder itself (see db/embedded-lock.ts).
// Exists only when the server has an admin secret (embedded mode), answers only on loopback, and
// needs the secret from the data folder's server.json (readable only by the user running it).
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { deviceId, DeviceRole } from '../../shared/protocol/sync.js';
import { enrollDevice } from '../auth/devices.js';
import type { ServerDatabase } from '../db/client.js';
import { HttpError, validationError } from './errors.js';

export const ADMIN_SECRET_HEADER = 'x-insight-admin-secret';
const EnrollRequest = z.strictObject({ device_id: deviceId, role: DeviceRole });

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const digest = (value: string) => createHash('sha256').update(value).digest();

export function adminRoutes(db: ServerDatabase, adminSecret: string): Router {
  const router = Router();
  router.post('/devices', async (req, res) => {
    if (!loopback.has(req.socket.remoteAddress ?? '')) throw new HttpError(403, 'device enrollment is only offered on loopback');
    const given = req.get(ADMIN_SECRET_HEADER) ?? '';
    if (!timingSafeEqual(digest(given), digest(adminSecret))) throw new HttpError(401, 'wrong or missing admin secret');
    const parsed = EnrollRequest.safeParse(req.body);
    if (!parsed.success) throw validationError('invalid enrollment', parsed.error);
    const token = await enrollDevice(db, parsed.data.device_id, parsed.data.role);
    res.json({ success: true, device_id: parsed.data.device_id, role: parsed.data.role, token });
  });
  return router;
}
