// PGlite is one process per data folder: a second process opening it would corrupt it. The
// process that opens the folder leaves `server.json` in it (readable by this user only); another
// process finds it, and — when it belongs to a running server — enrolls devices through that
// server's loopback-only admin route instead of opening the folder (so `npm run device:add` works
// while `npm run server` runs on the embedded database).
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const LockFile = z.object({
  pid: z.int(),
  url: z.string().optional(),
  admin_secret: z.string().optional(),
});
export type EmbeddedOwner = z.infer<typeof LockFile>;

/**
 * Another live process holds the folder. It keeps only the owner's pid and URL, never its admin
 * secret: an error's own fields are printed with it (an uncaught error, a logged `err`).
 */
export class EmbeddedFolderInUse extends Error {
  readonly owner: Pick<EmbeddedOwner, 'pid' | 'url'>;
  constructor(
    readonly dataDir: string,
    owner: EmbeddedOwner,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by process ${owner.pid}` +
        (owner.url ? ` (the sync server at ${owner.url})` : '') +
        `; stop it first, or use DATABASE_URL (if no such process runs, delete ${lockPath(dataDir)})`,
    );
    this.name = 'EmbeddedFolderInUse';
    this.owner = { pid: owner.pid, url: owner.url };
  }
}

const lockPath = (dataDir: string) => path.join(dataDir, 'server.json');

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The live process holding the folder, if any (a lock left by a dead process is ignored). */
export function embeddedOwner(dataDir: string): EmbeddedOwner | null {
  try {
    const owner = LockFile.parse(JSON.parse(readFileSync(lockPath(dataDir), 'utf8')));
    return owner.pid !== process.pid && isAlive(owner.pid) ? owner : null;
  } catch {
    return null;
  }
}

export interface EmbeddedClaim {
  /** Advertises the server's URL and a fresh admin secret; returns the secret. */
  advertise: (url: string) => string;
  release(): void;
}

export function claimEmbeddedFolder(dataDir: string): EmbeddedClaim {
  const owner = embeddedOwner(dataDir);
  if (owner) throw new EmbeddedFolderInUse(dataDir, owner);
  const write = (content: EmbeddedOwner) =>
    writeFileSync(lockPath(dataDir), JSON.stringify(content) + '\n', { mode: 0o600 });
  write({ pid: process.pid });
  return {
    advertise: (url) => {
      const admin_secret = randomBytes(32).toString('base64url');
      write({ pid: process.pid, url, admin_secret });
      return admin_secret;
    },
    release: () => rmSync(lockPath(dataDir), { force: true }),
  };
}
