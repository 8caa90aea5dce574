// Bearer-token authentication (every route but status) and the identity check of invariant 9:
// a device may only act as itself.
import type { RequestHandler, Response } from 'express';
import { deviceForToken, type Device } from '../auth/devices.js';
import type { ServerDatabase } from '../db/client.js';
import { HttpError } from './errors.js';

export const requireDevice =
  (db: ServerDatabase): RequestHandler =>
  async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      res.set('WWW-Authenticate', 'Bearer');
      throw new HttpError(401, 'missing bearer token: send Authorization: Bearer <token> (npm run device:add prints one)');
    }
    const device = await deviceForToken(db, match[1]);
    if (!device) {
      res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new HttpError(401, 'unknown or revoked token');
    }
    res.locals.device = device;
    next();
  };

export const currentDevice = (res: Response): Device => res.locals.device as Device;

/** The body's device_id must be the token's device (403 otherwise: the token is fine, the claim is not). */
export function assertActingAsItself(device: Device, claimed: string): void {
  if (claimed !== device.id) {
    throw new HttpError(403, `this token belongs to device ${device.id}, not ${claimed}`);
  }
}

export function assertManager(device: Device, what: string): void {
  if (device.role !== 'manager') throw new HttpError(403, `only manager devices may read ${what}`);
}
