// Where device:add and device:revoke act: the database given by DATABASE_URL, else the embedded
// one (DATA_DIR or .data/server) — through the running server's loopback admin route when a
// server holds that folder (only it may write there), else by opening the folder directly.
import path from 'node:path';
import { DEFAULT_DATA_DIR, openDatabase, type OpenDatabase } from '../db/client.js';
import { embeddedOwner } from '../db/embedded-lock.js';
import { ADMIN_SECRET_HEADER } from '../http/admin.js';

export type AdminTarget =
  | {
      kind: 'server';
      where: string;
      call(route: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
    }
  | { kind: 'database'; where: string; database: OpenDatabase };

export function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

export async function adminTarget(): Promise<AdminTarget> {
  const dataDir = path.resolve(process.env.DATA_DIR || DEFAULT_DATA_DIR);
  const owner = process.env.DATABASE_URL ? null : embeddedOwner(dataDir);
  if (owner?.url && owner.admin_secret) {
    const { url, admin_secret } = owner;
    return {
      kind: 'server',
      where: `the running sync server's embedded database (${dataDir})`,
      async call(route, body) {
        const response = await fetch(`${url}/api/v1/admin${route}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [ADMIN_SECRET_HEADER]: admin_secret },
          body: JSON.stringify(body),
        }).catch((error: Error) =>
          fail(`the sync server at ${url} holds ${dataDir} but does not answer: ${error.message}`),
        );
        return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
      },
    };
  }
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir }).catch(
    (error: Error) => fail(`cannot open the server database: ${error.message}`),
  );
  return { kind: 'database', where: `${database.kind} (${database.location})`, database };
}
