import { nestedTypesOf, validateDto } from '../../../common';
import { compiledCheck } from '../../../common/validation/compiled-dto-check';
import { INBOUND_ACTIONS, SUPPORTED_ACTIONS } from './action-registry';
import { SEED_EXAMPLES } from './seed-examples';
import { validatePayload } from './validate-payload';

/**
 * The payload check on the ingest path (validatePayload) answers a message that its DTO's
 * compiled check vouches for without class-validator. This compares it with class-validator
 * itself (validateDto) on the seed examples and thousands of mutations of them: the same errors,
 * in the same order, for every input, and the compiled check never vouches for an input that
 * class-validator refuses.
 */

/** A small seeded generator (mulberry32), so a failing input can be found again. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: unknown[] = [
  null,
  '',
  ' ',
  'x',
  'a'.repeat(201),
  'a'.repeat(2001),
  0,
  -1,
  1,
  1.5,
  -0.5,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  false,
  [],
  {},
  [{}],
  [1, 2],
  { sku: 'X' },
  'not-an-email',
  'someone@example.com',
  '+46701234567',
  'shipped',
  'cancelled',
  '2026-12-01T07:15:00.000Z',
  '4990',
];

type Tree = Record<string, unknown> | unknown[];

/** Every place in a value where a mutation can land: [container, key]. */
function places(value: unknown, out: [Tree, string | number][] = []): [Tree, string | number][] {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push([value, index]);
      places(item, out);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      out.push([value as Tree, key]);
      places(item, out);
    }
  }
  return out;
}

function mutate(data: unknown, next: () => number): unknown {
  const copy = structuredClone(data);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  const rounds = 1 + Math.floor(next() * 3);
  for (let i = 0; i < rounds; i++) {
    const spots = places(copy);
    if (!spots.length) break;
    const [container, key] = pick(spots);
    const kind = next();
    if (kind < 0.2 && !Array.isArray(container)) {
      delete container[key as string];
    } else if (kind < 0.3) {
      // Kept valid more often than not: another item of the same kind, or the same value again.
      const current = (container as Record<string | number, unknown>)[key];
      if (Array.isArray(current) && current.length) current.push(structuredClone(current[0]));
    } else if (kind < 0.4 && !Array.isArray(container)) {
      container[`extra${Math.floor(next() * 3)}`] = pick(ODD_VALUES);
    } else if (kind < 0.5) {
      const current = (container as Record<string | number, unknown>)[key];
      if (typeof current === 'number') {
        (container as Record<string | number, unknown>)[key] = Math.round(next() * 100);
      }
    } else {
      (container as Record<string | number, unknown>)[key] = structuredClone(pick(ODD_VALUES));
    }
  }
  return copy;
}

describe('validatePayload: compiled checks agree with class-validator', () => {
  it.each(SUPPORTED_ACTIONS)('%s: the seed example passes on the compiled check', (action) => {
    const payloadClass = INBOUND_ACTIONS[action].payload as new () => object;
    const check = compiledCheck(payloadClass, nestedTypesOf);
    expect(check).toBeDefined();
    expect(check!(structuredClone(SEED_EXAMPLES[action].data))).toBe(true);
    expect(validatePayload(action, structuredClone(SEED_EXAMPLES[action].data))).toEqual([]);
  });

  it.each(SUPPORTED_ACTIONS)(
    '%s: 1,500 mutated payloads get exactly class-validator’s errors',
    (action) => {
      const payloadClass = INBOUND_ACTIONS[action].payload as new () => object;
      const next = random(action.length * 7919 + action.charCodeAt(0));
      let valid = 0;
      let invalid = 0;
      for (let i = 0; i < 1500; i++) {
        const data = mutate(SEED_EXAMPLES[action].data, next);
        const expected = validateDto(payloadClass, structuredClone(data), 'data').errors;
        const actual = validatePayload(action, structuredClone(data));
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          throw new Error(
            `for data ${JSON.stringify(data)}:\n compiled path ${JSON.stringify(actual)}\n class-validator ${JSON.stringify(expected)}`,
          );
        }
        if (expected.length) invalid++;
        else valid++;
      }
      // Both kinds are exercised: inputs the compiled check lets through and ones it refuses.
      expect(valid).toBeGreaterThan(50);
      expect(invalid).toBeGreaterThan(50);
    },
  );
});
