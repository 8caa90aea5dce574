// What a request body may look like beyond what zod checks, checked before zod sees it (invariant 8:
// bad input gets a 4xx naming the problem, never a 500):
// - nesting depth: zod validates JSON values recursively and overflows the stack on a value a few
//   thousand levels deep (a RangeError, so a 500 a device would retry for ever); JSON.parse does not.
// - "__proto__" keys: JSON.parse keeps them as plain keys, but zod rebuilds objects by assignment,
//   which turns the key into the object's prototype, so the value would be stored without it.
// - the NUL character (U+0000), in a string or a key: PostgreSQL's text and jsonb cannot hold it.
//   Refused here, naming where it is, so that every value PostgreSQL refuses after the door is the
//   server's fault (a 500, see errors.ts), never a client's.
import { formatPath, HttpError } from './errors.js';

/** Levels of objects/arrays in a whole body; a pushed row's JSON columns sit at level 4 (body.changes.table[i].column). */
export const MAX_BODY_DEPTH = 64;

interface Node {
  value: unknown;
  depth: number;
  key: string | number | null;
  parent: Node | null;
}

const pathOf = (node: Node) => {
  const segments: (string | number)[] = [];
  for (let at: Node | null = node; at && at.key !== null; at = at.parent) segments.unshift(at.key);
  return formatPath(segments);
};

const NUL = '\u0000';

const nulRefusal = (path: string) =>
  new HttpError(
    400,
    `request body holds the NUL character (U+0000) at ${path || 'its top level'}, which PostgreSQL cannot store`,
    [{ path, message: 'holds the NUL character (U+0000), which cannot be stored' }],
  );

/** Walks the body without recursion; throws a 400 naming where it is too deep, holds "__proto__" or a NUL character. */
export function assertBodyShape(body: unknown): void {
  // Nearly every body is clean: a walk that keeps no paths clears it (a push of 1,000 rows has
  // ~20,000 values, and a path node for each was a third of this walk's cost plus the GC's);
  // only a body it refuses is walked again to name where the problem is.
  if (!isSuspect(body)) return;
  namedRefusal(body);
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** True when the body is too deep, holds "__proto__" or a NUL character somewhere. */
function isSuspect(body: unknown): boolean {
  if (isString(body)) return body.includes(NUL);
  const values: unknown[] = [body];
  const depths: number[] = [0];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_BODY_DEPTH) return true;
    if (Array.isArray(value)) {
      for (const item of value) {
        if (isString(item)) {
          if (item.includes(NUL)) return true;
        } else if (typeof item === 'object' && item !== null) {
          values.push(item);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    for (const key of Object.keys(value)) {
      if (key === '__proto__' || key.includes(NUL)) return true;
      const item = (value as Record<string, unknown>)[key];
      if (isString(item)) {
        if (item.includes(NUL)) return true;
      } else if (typeof item === 'object' && item !== null) {
        values.push(item);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** The walk that names the problem's path: throws the 400 for the first problem it meets. */
function namedRefusal(body: unknown): void {
  const stack: Node[] = [{ value: body, depth: 0, key: null, parent: null }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { value, depth } = node;
    if (typeof value === 'string' && value.includes(NUL)) throw nulRefusal(pathOf(node));
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_BODY_DEPTH) {
      const path = pathOf(node);
      throw new HttpError(400, `request body is nested deeper than ${MAX_BODY_DEPTH} levels at ${path}`, [
        { path, message: `nested deeper than ${MAX_BODY_DEPTH} levels` },
      ]);
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, depth: depth + 1, key: index, parent: node }));
      continue;
    }
    for (const key of Object.keys(value)) {
      if (key === '__proto__') {
        const path = pathOf(node);
        throw new HttpError(
          400,
          `request body holds the key "__proto__" at ${path || 'its top level'}, which cannot be stored faithfully`,
          [{ path, message: 'the key "__proto__" is not allowed' }],
        );
      }
      const child: Node = { value: (value as Record<string, unknown>)[key], depth: depth + 1, key, parent: node };
      if (key.includes(NUL)) throw nulRefusal(pathOf(child));
      stack.push(child);
    }
  }
}
