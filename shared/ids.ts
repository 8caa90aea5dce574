// Ids of new records (and of queued changes): UUIDv7 (RFC 9562), whose first 48 bits are the time
// of creation in milliseconds, so ids made later sort later. Every table's primary key, here in
// SQLite and on the server in PostgreSQL, is a B-tree on the id: random (v4) ids put each insert
// on a random page of an index that outgrows the page cache as the table grows, while time-ordered
// ids land on the last pages. Measured (docs/benchmarks.md, "Time-ordered ids"): a 1M-row initial
// sync of v7 ids ran ~1.5x as fast as of v4 ids, the SQLite insert stays flat with the table's
// size. Ids made before (v4), and ids other clients make, stay valid: the protocol takes any
// RFC 9562 UUID, and nothing reads the time out of an id (order of changes is the server's).
import { v7 } from 'uuid';

/** A new record or change id: a time-ordered UUIDv7 string (lower case). */
export const newId = (): string => v7();
