// The row schemas are tuned for speed (issue 9): each tuned piece must accept, refuse and report
// exactly what its plain zod definition does. These tests run both on the same inputs, the edge
// cases by name and a few thousand deterministic mutations of them.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isoTimestamp } from './tables.js';

/** What the timestamp schema was before it was tuned: a Date built twice, a transform. */
const plainTimestamp = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 timestamp, e.g. 2025-12-18T10:30:00Z' })
  .refine((value) => !(new Date(value).getUTCFullYear() < 1), 'must be in the year 1 or later')
  .transform((value) => new Date(value).toISOString());

/** A parse's whole outcome as one string: the output, or the issues with their codes, paths and messages. */
const outcome = (schema: z.ZodType, input: unknown): string => {
  try {
    const result = schema.safeParse(input);
    return JSON.stringify(result.success ? { data: result.data } : { issues: result.error.issues });
  } catch (error) {
    return `throws ${String(error)}`;
  }
};

/** `count` strings made from `seeds` by replacing, dropping or inserting one to three characters. */
const mutations = (seeds: readonly string[], alphabet: string, count: number): string[] => {
  let state = 12_345;
  const random = (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.floor((state / 2_147_483_648) * below);
  };
  return Array.from({ length: count }, () => {
    let text = seeds[random(seeds.length)]!;
    for (let edits = 1 + random(3); edits > 0; edits -= 1) {
      const at = random(text.length + 1);
      const char = alphabet[random(alphabet.length)]!;
      const kind = random(5);
      text = text.slice(0, at) + (kind < 2 ? '' : char) + text.slice(kind === 4 ? at : at + 1);
    }
    return text;
  });
};

const timestamps = [
  '2026-11-30T10:30:00.000Z',
  '2026-11-30T10:30:00Z',
  '2026-11-30T10:30:00+01:00',
  '2026-11-30T10:30:00.1234-05:30',
  '2026-11-30T10:30Z',
  '2024-02-29T23:59:59.999Z',
  '2023-02-29T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z',
  '0001-01-01T00:00:00.000Z',
  '0000-01-01T00:00:00.000Z',
  '0001-01-01T00:30:00+01:00',
  '2026-11-30T23:59:60.000Z',
  '2026-11-30T24:00:00.000Z',
  '2026-11-30t10:30:00.000z',
  '-000001-01-01T00:00:00.000Z',
  '+002026-11-30T10:30:00.000Z',
];

describe('isoTimestamp', () => {
  it('accepts, normalises and refuses exactly what the plain definition does', () => {
    const inputs = [...timestamps, ...mutations(timestamps, '0123456789-:TZ.+z ', 5_000), '', 'soon', 12, null, {}];
    const differ = inputs.filter((input) => outcome(isoTimestamp, input) !== outcome(plainTimestamp, input));
    expect(differ).toEqual([]);
    // The mutations reach both sides of every check, not only refusals.
    expect(inputs.filter((input) => isoTimestamp.safeParse(input).success).length).toBeGreaterThan(100);
  });

  it('normalises an offset and refuses a time that falls in year 0 once it is applied', () => {
    expect(isoTimestamp.parse('2026-11-30T10:30:00+01:00')).toBe('2026-11-30T09:30:00.000Z');
    expect(isoTimestamp.safeParse('0001-01-01T00:30:00+01:00').error?.issues[0]?.message).toBe(
      'must be in the year 1 or later',
    );
  });
});
