import { describe, expect, it } from 'vitest';
import { UsageError } from '@govwire/shared';
import {
  describeSelection,
  parseQueueName,
  parseSince,
  requireDeliberateSelection,
  selectionFromFlags,
  splitJobRef,
} from './selection';
import { displayWidth, formatAge, renderTable, truncate } from './format';

const now = new Date('2026-11-22T03:00:00Z');

describe('parseSince', () => {
  it('reads spans back from now', () => {
    expect(parseSince('30m', now).toISOString()).toBe('2026-11-22T02:30:00.000Z');
    expect(parseSince('2h', now).toISOString()).toBe('2026-11-22T01:00:00.000Z');
    expect(parseSince('1d', now).toISOString()).toBe('2026-11-21T03:00:00.000Z');
    expect(parseSince('90s', now).toISOString()).toBe('2026-11-22T02:58:30.000Z');
  });
  it('reads ISO times and dates', () => {
    expect(parseSince('2026-11-22T01:15:00Z', now).toISOString()).toBe('2026-11-22T01:15:00.000Z');
    expect(parseSince('2026-11-21', now).toISOString()).toBe('2026-11-21T00:00:00.000Z');
    expect(parseSince('2026-11-22T09:00:00+08:00', now).toISOString()).toBe('2026-11-22T01:00:00.000Z');
  });
  it('refuses what it cannot read instead of selecting nothing', () => {
    for (const v of ['yesterday', '2 hours', '-1h', '2026-13-45', '', '5y']) {
      expect(() => parseSince(v, now)).toThrow(UsageError);
    }
  });
  it('refuses times the database cannot hold, in one line', () => {
    // 99999999 days is 273,790 years: a valid JS date, but out of timestamptz range.
    for (const v of ['99999999d', '999999999999w', '0001-01-01', '1969-12-31']) {
      expect(() => parseSince(v, now)).toThrow(/out of range: give a time between 1970-01-01 and 9999-12-31/);
    }
    expect(parseSince('20000d', now).getUTCFullYear()).toBe(1972);
  });
});

describe('selection', () => {
  it('validates queue names', () => {
    expect(parseQueueName('indexer')).toBe('indexer');
    expect(() => parseQueueName('index')).toThrow('unknown queue "index" (queues: crawler, parser, indexer)');
  });
  it('builds a selection from flags', () => {
    const sel = selectionFromFlags(
      { queue: 'parser', source: ' zj-stats ', error: 'Timeout', since: '1h' },
      ['7'],
      now,
    );
    expect(sel).toEqual({
      queue: 'parser',
      sourceId: 'zj-stats',
      errorText: 'Timeout',
      since: new Date('2026-11-22T02:00:00Z'),
      jobIds: ['7'],
    });
    expect(describeSelection(sel)).toEqual({
      queue: 'parser',
      source: 'zj-stats',
      error: 'Timeout',
      since: '2026-11-22T02:00:00.000Z',
      jobIds: ['7'],
    });
  });
  it('requires a deliberate selection for bulk actions', () => {
    expect(() => requireDeliberateSelection({}, 'replay')).toThrow(UsageError);
    expect(() => requireDeliberateSelection({ all: true, jobIds: ['1'] }, 'replay')).toThrow(/not both/);
    expect(() => requireDeliberateSelection({ all: true }, 'replay')).not.toThrow();
    expect(() => requireDeliberateSelection({ sourceId: 'a' }, 'discard')).not.toThrow();
  });
  it('splits queue-qualified job ids', () => {
    expect(splitJobRef('indexer:17')).toEqual({ queue: 'indexer', id: '17' });
    expect(splitJobRef('17')).toEqual({ id: '17' });
    // Custom ids may hold colons of their own; only a known queue name is taken as a qualifier.
    expect(splitJobRef('fetch:abc:1')).toEqual({ id: 'fetch:abc:1' });
  });
});

describe('format', () => {
  it('pads columns by display width so Chinese text lines up', () => {
    expect(displayWidth('浙江a')).toBe(5);
    expect(
      renderTable(
        ['A', 'B'],
        [
          ['浙江', 1],
          ['x', null],
        ],
      ),
    ).toBe('A     B\n浙江  1\nx     -');
  });
  it('truncates by display width', () => {
    expect(truncate('全省经济运行稳中有进', 7)).toBe('全省经…');
    expect(truncate('short\nline', 20)).toBe('short line');
  });
  it('formats ages', () => {
    expect(formatAge(null)).toBe('-');
    expect(formatAge(42)).toBe('42s');
    expect(formatAge(95)).toBe('1m35s');
    expect(formatAge(3 * 3600 + 120)).toBe('3h02m');
    expect(formatAge(2 * 86400 + 3600)).toBe('2d1h');
  });
});
