/**
 * What the shop's pages hold: a Tacit API (the ES module instance, or the script tag's queue adapter) that
 * announces every change to the stored history, so that the panel refreshes after each tracked event.
 */
import type { Tacit, TrackInput } from 'tacit';

const CHANGED = 'demo:tacit-changed';

export type ChangeKind = 'track' | 'forget';

export function observed(tacit: Tacit): Tacit {
  const announce = (kind: ChangeKind) => window.dispatchEvent(new CustomEvent<ChangeKind>(CHANGED, { detail: kind }));
  return {
    ...tacit,
    async track(event: TrackInput) {
      try {
        await tacit.track(event);
      } finally {
        announce('track');
      }
    },
    async forget() {
      try {
        await tacit.forget();
      } finally {
        announce('forget');
      }
    },
  };
}

/** Calls `listener` after each tracked event and after forget(). */
export function onTacitChange(listener: (kind: ChangeKind) => void, signal?: AbortSignal): void {
  window.addEventListener(CHANGED, (e) => listener((e as CustomEvent<ChangeKind>).detail), { signal });
}
