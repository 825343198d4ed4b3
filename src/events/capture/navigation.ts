/**
 * Single-page navigation: `history.pushState`/`replaceState` (wrapped: the original runs first, with the same
 * `this` and arguments, and its result is returned), `popstate`/`hashchange`, and DOM changes that may carry
 * late-rendered structured data (Next.js renders its JSON-LD in the body, after the route changes).
 */
export type Navigation = 'push' | 'replace' | 'pop';

/**
 * Calls `onNavigate` after each `pushState`/`replaceState` and on `popstate`/`hashchange`; returns a function
 * that undoes it. Stopping puts the page's own `pushState` back when nobody wrapped it after us, and otherwise
 * leaves a wrapper that only passes through: so stop/start never stacks wrappers (issue 12, defect 7).
 * A `pushState` that cannot be replaced (a non-writable property, a frozen `history`) is followed through
 * the Navigation API's `currententrychange` where the browser has one (Chromium), instead of throwing.
 */
export function watchNavigation(win: Window, onNavigate: (kind: Navigation) => void): () => void {
  let active = true;
  const notify = (kind: Navigation) => {
    if (!active) return;
    try {
      onNavigate(kind);
    } catch {
      // never let capture break the page's router
    }
  };
  const history = win.history as History & Record<string, unknown>;
  const undo: (() => void)[] = [];
  let wrappedAll = true;
  for (const [method, kind] of [
    ['pushState', 'push'],
    ['replaceState', 'replace'],
  ] as const) {
    const original = history[method];
    const own = Object.hasOwn(history, method);
    const wrapper = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      notify(kind);
      return result;
    };
    try {
      history[method] = wrapper;
    } catch {
      // Assigning a non-writable property throws in a module (strict mode).
    }
    if (history[method] !== wrapper) {
      wrappedAll = false;
      continue;
    }
    undo.push(() => {
      if (history[method] !== wrapper) return; // wrapped again by the page: ours stays, inactive
      try {
        if (own) history[method] = original;
        else delete history[method]; // back to History.prototype's, as it was
      } catch {
        // the page made it non-writable since: ours stays, inactive
      }
    });
  }
  const pop = () => notify('pop');
  win.addEventListener('popstate', pop);
  win.addEventListener('hashchange', pop);
  undo.push(() => {
    win.removeEventListener('popstate', pop);
    win.removeEventListener('hashchange', pop);
  });
  const nav = (win as Window & { navigation?: EventTarget & { currentEntry?: unknown } }).navigation;
  if (!wrappedAll && nav && typeof nav.addEventListener === 'function') {
    const change = (e: Event) => {
      const type = (e as Event & { navigationType?: string }).navigationType;
      if (type === 'push' || type === 'replace') notify(type);
    };
    nav.addEventListener('currententrychange', change);
    undo.push(() => nav.removeEventListener('currententrychange', change));
  }
  return () => {
    active = false;
    undo.forEach((u) => u());
  };
}

/**
 * Calls `onChange` (at most every `delayMs`) while the DOM changes, between `start()` and `stop()`. Only
 * observed while a page view is still undecided, so a page that animates forever costs nothing after that.
 */
export function watchMutations(doc: Document, onChange: () => void, delayMs = 100): { start(): void; stop(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const observer = new MutationObserver(() => {
    timer ??= setTimeout(() => {
      timer = undefined;
      onChange();
    }, delayMs);
  });
  return {
    start: () => observer.observe(doc.documentElement, { childList: true, subtree: true, characterData: true }),
    stop() {
      observer.disconnect();
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
