/**
 * Single-page navigation: `history.pushState`/`replaceState` (wrapped: the original runs first, with the same
 * `this` and arguments, and its result is returned), `popstate`/`hashchange`, and DOM changes that may carry
 * late-rendered structured data (Next.js renders its JSON-LD in the body, after the route changes).
 */
export type Navigation = 'push' | 'replace' | 'pop';

export function watchNavigation(win: Window, onNavigate: (kind: Navigation) => void): void {
  const notify = (kind: Navigation) => {
    try {
      onNavigate(kind);
    } catch {
      // never let capture break the page's router
    }
  };
  const history = win.history as History & Record<string, unknown>;
  for (const [method, kind] of [
    ['pushState', 'push'],
    ['replaceState', 'replace'],
  ] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      notify(kind);
      return result;
    };
  }
  const pop = () => notify('pop');
  win.addEventListener('popstate', pop);
  win.addEventListener('hashchange', pop);
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
