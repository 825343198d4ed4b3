/**
 * The shop's catalog: `catalog.json`, emitted next to the pages by the demo build (demo/vite.config.ts),
 * fetched once per page and cached in memory.
 */
export interface Product {
  /** The catalog id as a string: the same id the model knows ("1".."194"). */
  id: string;
  title: string;
  description: string;
  category: string;
  price: number;
  rating: number;
  brand?: string;
  stock: number;
}

export interface Catalog {
  readonly products: readonly Product[];
  readonly categories: readonly string[];
  get(id: string): Product | undefined;
}

let pending: Promise<Catalog> | null = null;

export function loadCatalog(): Promise<Catalog> {
  pending ??= fetch(new URL('catalog.json', document.baseURI))
    .then((res) => {
      if (!res.ok) throw new Error(`catalog.json: HTTP ${res.status}`);
      return res.json() as Promise<Product[]>;
    })
    .then((products) => {
      const byId = new Map(products.map((p) => [p.id, p]));
      const categories = [...new Set(products.map((p) => p.category))].sort();
      return { products, categories, get: (id: string) => byId.get(id) };
    });
  return pending;
}

/** "womens-jewellery" → "Women's Jewellery". */
export function categoryLabel(category: string): string {
  return category
    .split('-')
    .map((w) => (w === 'mens' ? "Men's" : w === 'womens' ? "Women's" : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
export const formatPrice = (price: number): string => usd.format(price);

/** The shop's own non-personal ranking (what a merchant shows without Tacit): best rated, in stock. */
export function popular(catalog: Catalog, k: number, options: { exclude?: readonly string[]; category?: string } = {}): Product[] {
  const exclude = new Set(options.exclude ?? []);
  return catalog.products
    .filter((p) => !exclude.has(p.id) && p.stock > 0 && (!options.category || p.category === options.category))
    .slice()
    .sort((a, b) => b.rating - a.rating || a.price - b.price)
    .slice(0, k);
}
