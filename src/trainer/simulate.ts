/**
 * Simulated browsing sessions over a product catalog, for the demo shop: no real behavior data exists for
 * the demo catalog, so the demo model learns from sessions drawn from a small, documented shopper model:
 * - each shopper has one or two interest groups (related categories, e.g. phones, laptops, accessories);
 * - a session starts on a popular product of a preferred category;
 * - each next product is from the same category (60%), from a related category of the same group (30%),
 *   or anywhere in the shop (10%), preferring products of similar price; sessions average ~6 views.
 * The demo says so on its pages and in the README.
 */
import { createRng, pickWeighted, type Rng } from './rng.js';

export interface CatalogProduct {
  id: string;
  category: string;
  price: number;
  rating?: number;
}

/** Interest groups of the DummyJSON catalog's categories; a category not listed forms a group of its own. */
export const CATEGORY_GROUPS: string[][] = [
  ['smartphones', 'laptops', 'tablets', 'mobile-accessories'],
  ['womens-dresses', 'womens-shoes', 'womens-bags', 'womens-jewellery', 'womens-watches', 'tops'],
  ['mens-shirts', 'mens-shoes', 'mens-watches', 'sunglasses'],
  ['beauty', 'fragrances', 'skin-care'],
  ['furniture', 'home-decoration', 'kitchen-accessories', 'groceries'],
  ['sports-accessories', 'motorcycle', 'vehicle'],
];

export interface SimulateOptions {
  sessions: number;
  seed: number;
  meanLength?: number;
}

export function simulateSessions(catalog: readonly CatalogProduct[], opts: SimulateOptions): string[][] {
  const rng: Rng = createRng(opts.seed);
  const categories = [...new Set(catalog.map((p) => p.category))];
  const groups = CATEGORY_GROUPS.map((g) => g.filter((c) => categories.includes(c))).filter((g) => g.length > 0);
  for (const c of categories) if (!groups.some((g) => g.includes(c))) groups.push([c]);
  const byCategory = new Map(categories.map((c) => [c, catalog.filter((p) => p.category === c)]));
  // Popularity: better-rated products are seen more, with a random factor per product.
  const popularity = new Map(catalog.map((p) => [p.id, Math.pow(p.rating ?? 3, 2) * (0.3 + rng())]));
  const groupOf = (c: string) => groups.find((g) => g.includes(c))!;
  const pickIn = (products: readonly CatalogProduct[], near?: number) =>
    products[pickWeighted(products.map((p) => popularity.get(p.id)! * (near === undefined ? 1 : Math.exp(-Math.abs(Math.log((p.price + 1) / (near + 1)))))), rng)]!;
  const meanLength = opts.meanLength ?? 6;

  const out: string[][] = [];
  for (let s = 0; s < opts.sessions; s++) {
    const interests = [groups[Math.floor(rng() * groups.length)]!];
    if (rng() < 0.3) interests.push(groups[Math.floor(rng() * groups.length)]!);
    const startGroup = interests[Math.floor(rng() * interests.length)]!;
    let current = pickIn(byCategory.get(startGroup[Math.floor(rng() * startGroup.length)]!)!);
    const session = [current.id];
    const length = 2 + Math.floor(-Math.log(1 - rng()) * (meanLength - 2));
    while (session.length < length) {
      const r = rng();
      let pool: readonly CatalogProduct[];
      if (r < 0.6) pool = byCategory.get(current.category)!;
      else if (r < 0.9) {
        const g = rng() < 0.8 ? groupOf(current.category) : interests[Math.floor(rng() * interests.length)]!;
        pool = byCategory.get(g[Math.floor(rng() * g.length)]!)!;
      } else pool = catalog;
      const candidates = pool.filter((p) => p.id !== current.id);
      if (candidates.length === 0) break;
      current = pickIn(candidates, current.price);
      session.push(current.id);
    }
    out.push(session);
  }
  return out;
}
