import { describe, expect, it } from 'vitest';
import { findNul } from './edge.ts';

describe('findNul', () => {
  it('finds nothing in a clean body, however large', () => {
    const events = Array.from({ length: 1000 }, (_, i) => ({
      EventId: `P-${i}`,
      EventData: { n: i, tags: ['a'] },
    }));
    expect(findNul({ Events: events })).toBeUndefined();
    expect(findNul('plain')).toBeUndefined();
    expect(findNul(null)).toBeUndefined();
  });

  it('names the dotted path of a string holding NUL', () => {
    expect(findNul('a\0b')).toBe('');
    expect(findNul({ name: 'x\0' })).toBe('name');
    expect(findNul({ EventData: { note: 'ok', deep: { text: '\0' } } })).toBe('EventData.deep.text');
    expect(findNul({ Events: [{ EventId: 'ok' }, { EventId: 'P-\0' }] })).toBe('Events.1.EventId');
    expect(findNul(['ok', ['x', 'y\0']])).toBe('1.1');
  });

  it('names the object whose key holds NUL, or the body itself', () => {
    expect(findNul({ 'k\0': 1 })).toBe('body');
    expect(findNul({ EventData: { inner: { 'k\0': 1 } } })).toBe('EventData.inner');
  });

  it('walks a deeply nested body without overflowing the stack', () => {
    let deep: unknown = 'end\0';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(findNul(deep)?.split('.').length).toBe(100_000);
  });
});
