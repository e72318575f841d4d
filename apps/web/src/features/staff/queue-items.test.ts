import { describe, expect, it } from 'vitest';
import type { QueueItem } from './api/staff-api';
import { keepOpenItem } from './queue-items';

const item = (id: string) => ({ id, ref: id.toUpperCase() }) as QueueItem;

describe('keepOpenItem', () => {
  it('takes the new queue as it is when nothing is open', () => {
    expect(keepOpenItem([item('a'), item('b')], [item('b')], null).map((i) => i.id)).toEqual(['b']);
  });

  it('keeps the opened report in its place, marked, once it has left the filter', () => {
    const kept = keepOpenItem([item('a'), item('b'), item('c')], [item('a'), item('c')], 'b');
    expect(kept.map((i) => [i.id, i.hasLeft ?? false])).toEqual([
      ['a', false],
      ['b', true],
      ['c', false],
    ]);
  });

  it('puts it last when the queue has shrunk below its old place', () => {
    const kept = keepOpenItem([item('a'), item('b'), item('c')], [item('a')], 'c');
    expect(kept.map((i) => i.id)).toEqual(['a', 'c']);
  });

  it('uses the fresh line when the opened report is still in the queue', () => {
    const fresh = { ...item('b'), priority: 1 } as QueueItem;
    const kept = keepOpenItem([item('b')], [fresh], 'b');
    expect(kept).toEqual([fresh]);
    expect(kept[0]!.hasLeft).toBeUndefined();
  });

  it('does not invent a line it never showed', () => {
    expect(keepOpenItem([item('a')], [item('a')], 'z').map((i) => i.id)).toEqual(['a']);
    expect(keepOpenItem(null, [item('a')], 'a').map((i) => i.id)).toEqual(['a']);
  });
});
