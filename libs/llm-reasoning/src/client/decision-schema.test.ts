import { describe, expect, it } from 'vitest';
import { correctiveMessage, decisionJsonSchema, decisionSystemMessage, describeDecisionSchema, parseTradeDecision } from './decision-schema.js';

const valid = { action: 'SELL', confidence: 0.25, rationale: 'breakdown', citedMemoryIds: ['a', 'b', 'a'] };

describe('parseTradeDecision', () => {
  it('accepts a valid decision, folds duplicate citations and drops unknown keys', () => {
    expect(parseTradeDecision(JSON.stringify({ ...valid, extra: 1 }), ['a', 'b'])).toEqual({
      ok: true,
      decision: { action: 'SELL', confidence: 0.25, rationale: 'breakdown', citedMemoryIds: ['a', 'b'] },
    });
  });

  it.each([
    ['', 'the answer was empty'],
    ['BUY', 'not valid JSON'],
    ['[1]', 'not an object'],
    [JSON.stringify({ ...valid, action: 'LIQUIDATE' }), 'action:'],
    [JSON.stringify({ ...valid, action: 'buy' }), 'action:'],
    [JSON.stringify({ ...valid, confidence: -0.1 }), 'confidence: Too small'],
    [JSON.stringify({ ...valid, confidence: '0.5' }), 'confidence:'],
    [JSON.stringify({ ...valid, rationale: 'x'.repeat(2001) }), 'rationale: Too big'],
    [JSON.stringify({ ...valid, citedMemoryIds: ['a', 'zzz'] }), 'citedMemoryIds.1: cited id "zzz" was not offered'],
    [JSON.stringify({ action: 'BUY' }), 'confidence:'],
  ])('rejects %j naming the problem', (text, problem) => {
    const parsed = parseTradeDecision(text, ['a', 'b']);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.problem).toContain(problem);
  });

  it('accepts the boundaries 0 and 1 and a code fence', () => {
    expect(parseTradeDecision(JSON.stringify({ ...valid, confidence: 0, citedMemoryIds: [] }), []).ok).toBe(true);
    expect(parseTradeDecision('```\n' + JSON.stringify({ ...valid, confidence: 1, citedMemoryIds: [] }) + '\n```', []).ok).toBe(true);
  });
});

describe('prompt pieces', () => {
  it('describe every field and the allowed ids', () => {
    const text = describeDecisionSchema(['m1']);
    for (const field of ['"action"', '"confidence"', '"rationale"', '"citedMemoryIds"', '["m1"]']) expect(text).toContain(field);
    expect(describeDecisionSchema([])).toContain('(none: cite nothing)');
    expect(decisionSystemMessage(['m1']).content).toContain(text);
    expect(correctiveMessage('the answer was empty', ['m1']).content).toBe(`Your previous answer was invalid: the answer was empty. ${text}`);
  });

  it('build a strict JSON Schema with the ids as an enum (or no items when none may be cited)', () => {
    const schema = decisionJsonSchema(['m1', 'm1', 'm2']) as { additionalProperties: boolean; required: string[]; properties: Record<string, unknown> };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['action', 'confidence', 'rationale', 'citedMemoryIds']);
    expect(schema.properties['citedMemoryIds']).toEqual({ type: 'array', items: { type: 'string', enum: ['m1', 'm2'] } });
    expect((decisionJsonSchema([]) as { properties: Record<string, unknown> }).properties['citedMemoryIds']).toMatchObject({ maxItems: 0 });
  });
});
