// Bearer-token authentication (every route but status) and the identity check of invariant 9:
// a device may only act as itself.
import type { RequestHandler, Response } from 'express';
import { deviceForToken, type Device } from '../auth/devices.js';
import type { ServerDatabase } from '../db/client.js';
import { HttpError } from './errors.js';

/** A refused bearer token: the status, the message and the WWW-Authenticate challenge to send. */
export class AuthError extends HttpError {
  constructor(
    message: string,
    readonly challenge: string,
  ) {
    super(401, message);
  }
}

/**
 * The device an `Authorization: Bearer <token>` header belongs to, or an AuthError. Shared by the
 * HTTP routes and the live socket's upgrade, so both refuse exactly the same tokens.
 */
export async function deviceForAuthorization(db: ServerDatabase, header: string | undefined): Promise<Device> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) {
    throw new AuthError(
      'missing bearer token: send Authorization: Bearer <token> (npm run device:add prints one)',
      'Bearer',
    );
  }
  const device = await deviceForToken(db, match[1]);
  if (!device) throw new AuthError('unknown or revoked token', 'Bearer error="invalid_token"');
  return device;
}

export const requireDevice =
  (db: ServerDatabase): RequestHandler =>
  async (req, res, next) => {
    try {
      res.locals.device = await deviceForAuthorization(db, req.get('authorization'));
    } catch (error) {
      if (error instanceof AuthError) res.set('WWW-Authenticate', error.challenge);
      throw error;
    }
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
