import { describe, it, expect, vi } from 'vitest';
import { startCapture } from '../../src/events/capture/index.js';
import { startCapture as startLazily } from '../../src/events/capture/lazy.js';

describe('startCapture outside a browser (server-side rendering)', () => {
  it('does nothing, throws nothing, and returns a stop function', async () => {
    const track = vi.fn(async () => {});
    const stop = startCapture({ track });
    expect(typeof stop).toBe('function');
    stop();
    const stopLazy = startLazily({ track });
    await new Promise((r) => setTimeout(r, 50)); // the chunk loads; an unhandled rejection would fail the run
    stopLazy();
    expect(track).not.toHaveBeenCalled();
  });
});
