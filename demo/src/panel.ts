/**
 * The shopper's panel (`#tacit-panel`): what Tacit computes and keeps on this device, and a way to erase it.
 * It refreshes after each tracked event and after "Forget me".
 *
 *   [data-testid=backend]      webgl | cpu | off        (off: no model or no SDK)
 *   [data-testid=storage]      indexeddb | memory | off
 *   [data-testid=propensity]   "37%" (or "–" without a model); its title and the list below it give the
 *                              top feature contributions from PropensityResult.features
 *   [data-testid=events]       number of stored events
 *   [data-testid=forget]       calls forget(), then refreshes
 * `#tacit-panel[data-state]` is `loading` until the first values are in, then `ready`;
 * `#tacit-panel[data-backend]` repeats the backend (webgl | cpu | off).
 */
import type { FeatureContribution, PropensityResult, Tacit } from 'tacit';
import { el } from './dom.js';
import { onTacitChange } from './observed.js';

const TOP_FEATURES = 5;

function percent(p: number): string {
  const v = p * 100;
  return `${v < 10 ? v.toFixed(1) : Math.round(v)}%`;
}

function topFeatures(result: PropensityResult): FeatureContribution[] {
  return result.features
    .filter((f) => Number.isFinite(f.contribution) && f.contribution !== 0)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, TOP_FEATURES);
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;
const rawValue = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

export function mountPanel(tacit: Tacit, loaded: Promise<boolean>): { refresh(): Promise<void> } {
  const value = (testid: string) => el('dd', { 'data-testid': testid }, '…');
  const backend = value('backend');
  const storage = value('storage');
  const events = value('events');
  const propensity = el('span', { 'data-testid': 'propensity', class: 'panel-propensity' }, '…');
  const meter = el('span', { class: 'panel-meter', 'aria-hidden': 'true' }, el('span'));
  const featureList = el('ol', { class: 'panel-features', 'data-testid': 'propensity-features' });
  const why = el('details', { class: 'panel-why', hidden: true }, el('summary', {}, 'Why this score?'), featureList);
  const forget = el('button', { type: 'button', class: 'panel-forget', 'data-testid': 'forget' }, 'Forget me');
  const toggle = el('button', { type: 'button', class: 'panel-toggle', 'aria-expanded': 'true', 'aria-controls': 'tacit-panel-body', title: 'Minimize' }, '–');
  const body = el(
    'div',
    { id: 'tacit-panel-body', class: 'panel-body' },
    el(
      'dl',
      {},
      el('div', {}, el('dt', {}, 'Backend'), backend),
      el('div', {}, el('dt', {}, 'Storage'), storage),
      el('div', {}, el('dt', {}, 'Stored events'), events),
      el('div', { class: 'panel-propensity-row' }, el('dt', {}, 'Purchase propensity'), el('dd', {}, propensity, meter)),
    ),
    why,
    forget,
    el('p', { class: 'panel-note' }, 'Computed in this browser. Nothing about your browsing leaves this device.'),
  );
  const panel = el(
    'aside',
    { id: 'tacit-panel', 'data-state': 'loading', 'aria-label': 'Tacit: personalization on this device' },
    el('header', {}, el('span', { class: 'panel-dot', 'aria-hidden': 'true' }), el('strong', {}, 'Tacit'), el('span', { class: 'panel-sub' }, 'on this device'), toggle),
    body,
  );
  document.body.append(panel);
  // On a phone the panel starts minimized, so that it does not cover the shop.
  if (window.matchMedia('(max-width: 560px)').matches) setOpen(false);

  function setOpen(open: boolean): void {
    panel.classList.toggle('is-collapsed', !open);
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? '–' : '+';
    toggle.title = open ? 'Minimize' : 'Show';
  }
  toggle.addEventListener('click', () => setOpen(panel.classList.contains('is-collapsed')));

  function showPropensity(result: PropensityResult | null): void {
    featureList.replaceChildren();
    if (!result) {
      propensity.textContent = '–';
      propensity.title = 'No propensity model is loaded';
      meter.style.setProperty('--p', '0');
      why.hidden = true;
      return;
    }
    propensity.textContent = percent(result.probability);
    meter.style.setProperty('--p', String(result.probability));
    const top = topFeatures(result);
    propensity.title = top.length
      ? `Top contributions (logit):\n${top.map((f) => `${signed(f.contribution)}  ${f.description || f.name}`).join('\n')}`
      : 'No feature moves the score yet';
    for (const f of top) {
      featureList.append(
        el(
          'li',
          { class: f.contribution >= 0 ? 'up' : 'down', 'data-feature': f.name },
          el('span', { class: 'f-name', title: `${f.description || f.name} (raw value ${rawValue(f.raw)})` }, f.description || f.name),
          el('span', { class: 'f-raw' }, rawValue(f.raw)),
          el('span', { class: 'f-contrib' }, signed(f.contribution)),
        ),
      );
    }
    why.hidden = top.length === 0;
  }

  let running: Promise<void> | null = null;
  let again = false;

  async function refreshOnce(): Promise<void> {
    const ok = await loaded;
    if (!ok) {
      backend.textContent = 'off';
      storage.textContent = 'off';
      events.textContent = '0';
      showPropensity(null);
      panel.dataset.backend = 'off';
      panel.dataset.state = 'ready';
      return;
    }
    // History and storage answer at once; backend and propensity wait for the engine (model + TensorFlow.js).
    const [history, kind] = await Promise.all([tacit.history(), tacit.storage()]);
    events.textContent = String(history.length);
    storage.textContent = kind ?? 'off';
    const [name, result] = await Promise.all([tacit.backend(), tacit.propensity()]);
    backend.textContent = name ?? 'off';
    panel.dataset.backend = name ?? 'off';
    showPropensity(result);
    panel.dataset.state = 'ready';
  }

  /** Refreshes; calls made while a refresh runs are folded into one more pass. */
  function refresh(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await refreshOnce();
        } while (again);
      } catch (err) {
        console.warn('demo: the Tacit panel could not refresh', err);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  forget.addEventListener('click', async () => {
    forget.disabled = true;
    try {
      await tacit.forget(); // announces the change, which refreshes the panel
      await refresh();
    } finally {
      forget.disabled = false;
    }
  });
  onTacitChange(() => void refresh());
  void refresh();
  return { refresh };
}
