import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseState } from './state.js';
import { StateError } from './errors.js';

const schema = z.object({ nArms: z.number().int().positive(), means: z.array(z.number().finite()) });

describe('parseState', () => {
  it('returns the parsed snapshot when it fits', () => {
    expect(parseState('Bandit', schema, { nArms: 2, means: [0.1, 0.2] })).toEqual({ nArms: 2, means: [0.1, 0.2] });
  });

  it('names the field path and the bad value', () => {
    expect(() => parseState('Bandit', schema, { nArms: 2, means: [0.1, 'x'] })).toThrow(/Cannot restore Bandit: field "means.1" is "x", expected/);
    expect(() => parseState('Bandit', schema, { nArms: 0, means: [] })).toThrow(StateError);
  });

  it('rejects a non-object snapshot', () => {
    expect(() => parseState('Bandit', schema, null)).toThrow(/the snapshot is null/);
  });
});
