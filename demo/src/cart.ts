/**
 * The shop's own cart, in localStorage under `demo-cart`: [{ id, qty }]. This is the merchant's state, not
 * Tacit's; Tacit only hears about cart actions through `track`. Works (in memory) when storage is blocked.
 */
export interface CartLine {
  id: string;
  qty: number;
}

const KEY = 'demo-cart';
const CHANGED = 'demo:cart-changed';
let memory: CartLine[] = [];

function isLine(v: unknown): v is CartLine {
  return typeof v === 'object' && v !== null && typeof (v as CartLine).id === 'string' && Number.isInteger((v as CartLine).qty) && (v as CartLine).qty > 0;
}

export function readCart(): CartLine[] {
  try {
    const raw = localStorage.getItem(KEY);
    if (raw === null) return [];
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter(isLine) : [];
  } catch {
    return memory.slice();
  }
}

function write(lines: CartLine[]): void {
  memory = lines;
  try {
    if (lines.length) localStorage.setItem(KEY, JSON.stringify(lines));
    else localStorage.removeItem(KEY);
  } catch {
    // storage blocked: the in-memory copy serves this page
  }
  window.dispatchEvent(new CustomEvent(CHANGED));
}

export function addToCart(id: string, qty = 1): void {
  const lines = readCart();
  const line = lines.find((l) => l.id === id);
  if (line) line.qty += qty;
  else lines.push({ id, qty });
  write(lines);
}

export function setQuantity(id: string, qty: number): void {
  write(qty > 0 ? readCart().map((l) => (l.id === id ? { id, qty } : l)) : readCart().filter((l) => l.id !== id));
}

export function removeFromCart(id: string): void {
  write(readCart().filter((l) => l.id !== id));
}

export function clearCart(): void {
  write([]);
}

export const cartCount = (): number => readCart().reduce((n, l) => n + l.qty, 0);

/** Calls `listener` when the cart changes in this page or in another tab. */
export function onCartChange(listener: () => void, signal?: AbortSignal): void {
  window.addEventListener(CHANGED, listener, { signal });
  window.addEventListener('storage', (e) => e.key === KEY && listener(), { signal });
}
