import { describe, it, expect } from 'vitest';
import { xmlProblem } from './fixtures.js';

describe('xmlProblem (test helper)', () => {
  it('accepts well-formed documents', () => {
    expect(xmlProblem('<svg a="1"><g><path d="M0,0"/></g><text>x &amp; y</text></svg>')).toBeNull();
    expect(xmlProblem('<?xml version="1.0"?>\n<svg/>')).toBeNull();
  });
  it('rejects broken ones', () => {
    expect(xmlProblem('<svg><g></svg>')).toMatch(/closes <g>/);
    expect(xmlProblem('<svg><g>')).toMatch(/unclosed/);
    expect(xmlProblem('<svg></svg><svg></svg>')).toMatch(/second root/);
    expect(xmlProblem('<svg>a < b</svg>')).toMatch(/unparseable/);
    expect(xmlProblem('')).toBe('no root element');
  });
});
