// @vitest-environment happy-dom
/**
 * Issue 12, defect 7: `stop()` left the `pushState` and `dataLayer.push` wrappers in place, so stop/start
 * stacked them, and a non-writable `pushState` threw out of `startCapture` after it had marked capture as
 * running, which blocked capture on the page for good.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { startCapture } from '../../src/events/capture/index.js';
import type { TrackInput } from '../../src/events/vocabulary.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
const w = window as unknown as { dataLayer?: unknown[] };
const proto = { push: Array.prototype.push, pushState: History.prototype.pushState, replaceState: History.prototype.replaceState };

afterEach(() => {
  delete w.dataLayer;
  delete (history as Partial<History>).pushState;
  delete (history as Partial<History>).replaceState;
});

describe('capture stop()', () => {
  it('puts back the page’s pushState, replaceState and dataLayer.push; stop/start does not stack wrappers', async () => {
    w.dataLayer = [];
    const layer = w.dataLayer;
    for (let i = 0; i < 3; i++) {
      const stop = startCapture({ track: async () => {} });
      expect(history.pushState).not.toBe(proto.pushState);
      expect(layer.push).not.toBe(proto.push);
      stop();
      stop(); // twice is harmless
      expect(history.pushState).toBe(proto.pushState);
      expect(history.replaceState).toBe(proto.replaceState);
      expect(layer.push).toBe(proto.push);
      expect(Object.hasOwn(layer, 'push')).toBe(false);
    }
  });

  it('leaves a wrapper the page added on top in place, and ours only passes through', async () => {
    w.dataLayer = [];
    const layer = w.dataLayer;
    const tracked: TrackInput[] = [];
    const stop = startCapture({ track: async (e) => void tracked.push(e) });
    const ours = layer.push;
    const seen: unknown[] = [];
    layer.push = function (...args: unknown[]) {
      seen.push(...args);
      return ours.apply(this, args);
    };
    const theirs = layer.push;
    stop();
    expect(layer.push).toBe(theirs);
    layer.push({ event: 'add_to_cart', ecommerce: { items: [{ item_id: 'x' }] } });
    await tick(10);
    expect(seen).toHaveLength(1);
    expect(layer).toHaveLength(1);
    expect(tracked).toEqual([]);
  });

  it('a non-writable pushState: startCapture does not throw, captures, and can start again after stop', async () => {
    Object.defineProperty(history, 'pushState', { value: proto.pushState, writable: false, configurable: true });
    w.dataLayer = [];
    const tracked: TrackInput[] = [];
    let stop = () => {};
    expect(() => (stop = startCapture({ track: async (e) => void tracked.push(e) }))).not.toThrow();
    w.dataLayer.push({ event: 'add_to_cart', ecommerce: { items: [{ item_id: 'a' }] } });
    expect(tracked.filter((e) => e.type === 'add_to_cart')).toMatchObject([{ itemId: 'a' }]);
    stop();
    const again: TrackInput[] = [];
    const stop2 = startCapture({ track: async (e) => void again.push(e) });
    w.dataLayer.push({ event: 'add_to_cart', ecommerce: { items: [{ item_id: 'b' }] } });
    // A new start reads what is already in the array, then what is pushed.
    expect(again.filter((e) => e.type === 'add_to_cart').map((e) => e.itemId)).toEqual(['a', 'b']);
    stop2();
  });
});
