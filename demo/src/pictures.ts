/**
 * Product pictures drawn on the page: one pictogram per category, colored from a hash of the product's id
 * and title. The demo makes no request outside its own origin and the local CDN, so no remote images; each
 * picture is an SVG data URL (an isolated document, so gradient ids never collide between pictures).
 */
import type { Product } from './catalog.js';

interface Palette {
  /** The pictogram. */
  main: string;
  /** Details on the pictogram. */
  light: string;
  /** A contrasting touch. */
  accent: string;
  dark: string;
}

type Pictogram = (c: Palette) => string;

const watch = (r: number, band: number, c: Palette, bezel: string) => `
  <rect x="${60 - band / 2}" y="18" width="${band}" height="84" rx="5" fill="${c.dark}"/>
  <circle cx="60" cy="60" r="${r + 5}" fill="${bezel}"/>
  <circle cx="60" cy="60" r="${r}" fill="${c.light}"/>
  <path d="M60 60 L60 ${60 - r + 6} M60 60 L${60 + r - 9} 64" stroke="${c.dark}" stroke-width="3" stroke-linecap="round"/>
  <circle cx="60" cy="60" r="2.5" fill="${c.accent}"/>`;

const shirt = (collar: boolean, c: Palette) => `
  <path d="M44 28 ${collar ? 'L52 25 L60 33 L68 25' : 'Q60 40'} L76 28 L98 42 L90 58 L80 53 L80 96 L40 96 L40 53 L30 58 L22 42 Z" fill="${c.main}"/>
  ${
    collar
      ? `<path d="M52 25 L60 33 L56 42 Z M68 25 L60 33 L64 42 Z" fill="${c.light}"/>
         <g fill="${c.light}"><circle cx="60" cy="52" r="2"/><circle cx="60" cy="64" r="2"/><circle cx="60" cy="76" r="2"/><circle cx="60" cy="88" r="2"/></g>`
      : `<rect x="40" y="62" width="40" height="8" fill="${c.accent}"/><rect x="40" y="76" width="40" height="4" fill="${c.light}" opacity=".7"/>`
  }`;

const PICTOGRAMS: Record<string, Pictogram> = {
  beauty: (c) => `
    <rect x="46" y="64" width="28" height="32" rx="4" fill="${c.main}"/>
    <rect x="50" y="52" width="20" height="14" rx="2" fill="${c.dark}"/>
    <path d="M52 52 L52 36 Q52 28 60 26 L68 31 L68 52 Z" fill="${c.accent}"/>
    <rect x="50" y="70" width="4" height="20" rx="2" fill="${c.light}" opacity=".6"/>`,
  fragrances: (c) => `
    <rect x="34" y="48" width="52" height="48" rx="12" fill="${c.main}"/>
    <rect x="54" y="38" width="12" height="12" fill="${c.dark}"/>
    <rect x="48" y="24" width="24" height="15" rx="4" fill="${c.accent}"/>
    <rect x="42" y="56" width="8" height="30" rx="4" fill="${c.light}" opacity=".55"/>
    <circle cx="66" cy="72" r="9" fill="${c.light}" opacity=".35"/>`,
  furniture: (c) => `
    <rect x="30" y="38" width="60" height="32" rx="9" fill="${c.main}"/>
    <rect x="26" y="62" width="68" height="18" rx="6" fill="${c.dark}"/>
    <rect x="18" y="50" width="15" height="32" rx="7" fill="${c.main}"/>
    <rect x="87" y="50" width="15" height="32" rx="7" fill="${c.main}"/>
    <rect x="28" y="80" width="6" height="12" rx="2" fill="${c.dark}"/>
    <rect x="86" y="80" width="6" height="12" rx="2" fill="${c.dark}"/>
    <rect x="36" y="44" width="48" height="4" rx="2" fill="${c.light}" opacity=".4"/>`,
  groceries: (c) => `
    <path d="M60 44 C48 33 26 38 28 62 C30 84 46 98 60 90 C74 98 90 84 92 62 C94 38 72 33 60 44 Z" fill="${c.main}"/>
    <path d="M60 44 Q59 33 66 25" stroke="${c.dark}" stroke-width="4" fill="none" stroke-linecap="round"/>
    <ellipse cx="74" cy="32" rx="10" ry="5" transform="rotate(-28 74 32)" fill="${c.accent}"/>
    <ellipse cx="42" cy="58" rx="5" ry="10" transform="rotate(20 42 58)" fill="${c.light}" opacity=".45"/>`,
  'home-decoration': (c) => `
    <path d="M60 70 L60 46" stroke="${c.dark}" stroke-width="3"/>
    <ellipse cx="48" cy="46" rx="14" ry="7" transform="rotate(-35 48 46)" fill="${c.accent}"/>
    <ellipse cx="72" cy="42" rx="14" ry="7" transform="rotate(35 72 42)" fill="${c.accent}"/>
    <ellipse cx="60" cy="30" rx="7" ry="13" fill="${c.accent}"/>
    <path d="M38 68 L82 68 L75 96 L45 96 Z" fill="${c.main}"/>
    <rect x="36" y="64" width="48" height="8" rx="3" fill="${c.dark}"/>`,
  'kitchen-accessories': (c) => `
    <rect x="28" y="54" width="64" height="38" rx="8" fill="${c.main}"/>
    <rect x="16" y="60" width="14" height="7" rx="3.5" fill="${c.dark}"/>
    <rect x="90" y="60" width="14" height="7" rx="3.5" fill="${c.dark}"/>
    <path d="M26 52 Q60 34 94 52 Z" fill="${c.dark}"/>
    <rect x="54" y="36" width="12" height="7" rx="3" fill="${c.accent}"/>
    <rect x="34" y="64" width="52" height="5" rx="2.5" fill="${c.light}" opacity=".4"/>`,
  laptops: (c) => `
    <rect x="26" y="32" width="68" height="46" rx="5" fill="${c.main}"/>
    <rect x="31" y="37" width="58" height="36" rx="2" fill="${c.light}"/>
    <path d="M37 66 L52 50 L62 60 L70 54 L83 66 Z" fill="${c.accent}" opacity=".8"/>
    <path d="M14 80 L106 80 L99 90 L21 90 Z" fill="${c.dark}"/>`,
  'mens-shirts': (c) => shirt(true, c),
  tops: (c) => shirt(false, c),
  'mens-shoes': (c) => `
    <path d="M18 82 L18 56 Q30 56 40 46 L56 56 Q74 64 94 66 Q104 68 104 80 L104 82 Z" fill="${c.main}"/>
    <rect x="16" y="80" width="90" height="10" rx="4" fill="${c.dark}"/>
    <path d="M44 52 L50 60 M52 56 L58 64 M60 60 L64 66" stroke="${c.light}" stroke-width="3" stroke-linecap="round"/>
    <path d="M18 66 L38 66" stroke="${c.accent}" stroke-width="4"/>`,
  'womens-shoes': (c) => `
    <path d="M24 50 Q38 64 56 66 Q74 68 90 76 Q102 82 100 88 L62 88 Q44 84 34 70 L32 98 L26 98 Z" fill="${c.main}"/>
    <path d="M24 50 Q38 64 56 66" stroke="${c.dark}" stroke-width="4" fill="none"/>
    <path d="M62 88 L100 88" stroke="${c.dark}" stroke-width="4"/>
    <circle cx="60" cy="72" r="4" fill="${c.accent}"/>`,
  'mens-watches': (c) => watch(22, 22, c, c.main),
  'womens-watches': (c) => `${watch(16, 14, c, c.accent)}<circle cx="60" cy="${60 - 21}" r="2.5" fill="${c.light}"/>`,
  'mobile-accessories': (c) => `
    <path d="M28 68 A32 32 0 0 1 92 68" stroke="${c.dark}" stroke-width="7" fill="none"/>
    <rect x="20" y="60" width="20" height="32" rx="8" fill="${c.main}"/>
    <rect x="80" y="60" width="20" height="32" rx="8" fill="${c.main}"/>
    <rect x="26" y="66" width="6" height="20" rx="3" fill="${c.accent}"/>
    <rect x="88" y="66" width="6" height="20" rx="3" fill="${c.accent}"/>`,
  motorcycle: (c) => `
    <circle cx="32" cy="78" r="15" stroke="${c.dark}" stroke-width="7" fill="none"/>
    <circle cx="90" cy="78" r="15" stroke="${c.dark}" stroke-width="7" fill="none"/>
    <path d="M32 78 L50 58 L76 58 L90 78" stroke="${c.main}" stroke-width="6" fill="none" stroke-linejoin="round"/>
    <path d="M46 58 Q52 44 66 46 L76 58 Z" fill="${c.main}"/>
    <rect x="38" y="50" width="18" height="6" rx="3" fill="${c.accent}"/>
    <path d="M76 58 L84 40 L92 40" stroke="${c.dark}" stroke-width="4" fill="none" stroke-linecap="round"/>`,
  'skin-care': (c) => `
    <rect x="40" y="50" width="40" height="46" rx="9" fill="${c.main}"/>
    <rect x="55" y="36" width="10" height="15" fill="${c.dark}"/>
    <path d="M48 28 L76 28 Q80 28 80 32 L86 32 L86 36 L48 36 Z" fill="${c.dark}"/>
    <rect x="46" y="62" width="28" height="18" rx="3" fill="${c.light}"/>
    <rect x="51" y="67" width="18" height="3" rx="1.5" fill="${c.accent}"/>`,
  smartphones: (c) => `
    <rect x="38" y="18" width="44" height="84" rx="9" fill="${c.dark}"/>
    <rect x="42" y="26" width="36" height="66" rx="3" fill="${c.light}"/>
    <rect x="52" y="21" width="16" height="3" rx="1.5" fill="${c.main}"/>
    <rect x="47" y="32" width="26" height="16" rx="3" fill="${c.main}"/>
    <rect x="47" y="53" width="12" height="12" rx="3" fill="${c.accent}"/>
    <rect x="61" y="53" width="12" height="12" rx="3" fill="${c.main}" opacity=".6"/>`,
  tablets: (c) => `
    <rect x="18" y="28" width="84" height="62" rx="8" fill="${c.dark}"/>
    <rect x="24" y="34" width="68" height="50" rx="3" fill="${c.light}"/>
    <circle cx="97" cy="59" r="2.5" fill="${c.light}"/>
    <rect x="30" y="40" width="30" height="22" rx="3" fill="${c.main}"/>
    <rect x="64" y="40" width="22" height="10" rx="3" fill="${c.accent}"/>
    <rect x="64" y="54" width="22" height="24" rx="3" fill="${c.main}" opacity=".5"/>`,
  'sports-accessories': (c) => `
    <circle cx="60" cy="60" r="34" fill="${c.main}"/>
    <path d="M60 26 L60 94 M26 60 L94 60 M36 36 Q52 60 36 84 M84 36 Q68 60 84 84" stroke="${c.dark}" stroke-width="3" fill="none"/>
    <circle cx="48" cy="44" r="6" fill="${c.light}" opacity=".35"/>`,
  sunglasses: (c) => `
    <path d="M24 50 L14 44 M96 50 L106 44" stroke="${c.dark}" stroke-width="4" stroke-linecap="round"/>
    <rect x="22" y="48" width="34" height="28" rx="12" fill="${c.main}"/>
    <rect x="64" y="48" width="34" height="28" rx="12" fill="${c.main}"/>
    <path d="M56 56 Q60 50 64 56" stroke="${c.dark}" stroke-width="4" fill="none"/>
    <path d="M28 56 L38 52 M70 56 L80 52" stroke="${c.light}" stroke-width="3" stroke-linecap="round" opacity=".7"/>
    <rect x="22" y="46" width="76" height="5" rx="2.5" fill="${c.dark}"/>`,
  vehicle: (c) => `
    <path d="M14 80 L14 66 Q16 58 28 56 L42 42 Q46 38 54 38 L76 38 Q82 38 86 44 L96 56 Q106 58 106 68 L106 80 Z" fill="${c.main}"/>
    <path d="M44 55 L52 44 L62 44 L62 55 Z M66 55 L66 44 L78 44 L86 55 Z" fill="${c.light}"/>
    <rect x="96" y="62" width="8" height="5" rx="2" fill="${c.accent}"/>
    <circle cx="36" cy="80" r="11" fill="${c.dark}"/><circle cx="36" cy="80" r="4" fill="${c.light}"/>
    <circle cx="84" cy="80" r="11" fill="${c.dark}"/><circle cx="84" cy="80" r="4" fill="${c.light}"/>`,
  'womens-bags': (c) => `
    <path d="M42 52 Q42 26 60 26 Q78 26 78 52" stroke="${c.dark}" stroke-width="6" fill="none"/>
    <path d="M26 50 L94 50 L88 92 Q87 96 83 96 L37 96 Q33 96 32 92 Z" fill="${c.main}"/>
    <rect x="26" y="50" width="68" height="10" fill="${c.dark}" opacity=".35"/>
    <rect x="54" y="56" width="12" height="10" rx="2" fill="${c.accent}"/>`,
  'womens-dresses': (c) => `
    <path d="M48 22 L53 22 L56 32 L64 32 L67 22 L72 22 L74 40 Q68 48 70 54 L94 98 L26 98 L50 54 Q52 48 46 40 Z" fill="${c.main}"/>
    <path d="M48 52 L72 52 L71 58 L49 58 Z" fill="${c.accent}"/>
    <path d="M42 80 Q60 86 78 80" stroke="${c.light}" stroke-width="3" fill="none" opacity=".6"/>`,
  'womens-jewellery': (c) => `
    <circle cx="60" cy="74" r="23" stroke="${c.main}" stroke-width="8" fill="none"/>
    <path d="M46 42 L53 32 L67 32 L74 42 L60 58 Z" fill="${c.accent}"/>
    <path d="M46 42 L74 42 M53 32 L57 42 L60 58 M67 32 L63 42 L60 58" stroke="${c.light}" stroke-width="1.5" fill="none" opacity=".8"/>`,
};

/** A shopping bag, for a category without its own pictogram. */
const FALLBACK: Pictogram = (c) => `
  <path d="M46 42 Q46 26 60 26 Q74 26 74 42" stroke="${c.dark}" stroke-width="5" fill="none"/>
  <rect x="30" y="40" width="60" height="56" rx="6" fill="${c.main}"/>
  <circle cx="60" cy="66" r="8" fill="${c.accent}"/>`;

/** FNV-1a: a small stable hash, so a product always gets the same colors. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const cache = new Map<string, string>();

/** The SVG markup for a product. */
export function pictureSvg(product: Pick<Product, 'id' | 'title' | 'category'>): string {
  const h = hash(`${product.id}:${product.title}`);
  const hue = h % 360;
  const hue2 = (hue + 35 + ((h >>> 9) % 50)) % 360;
  const palette: Palette = {
    main: `hsl(${hue} 52% 46%)`,
    light: `hsl(${hue} 70% 97%)`,
    accent: `hsl(${(hue + 160 + ((h >>> 5) % 60)) % 360} 72% 58%)`,
    dark: `hsl(${hue} 45% 24%)`,
  };
  // Two soft discs in the background, placed by the hash, so pictures of one category differ.
  const d1 = { x: 10 + ((h >>> 3) % 100), y: 10 + ((h >>> 11) % 40), r: 18 + ((h >>> 17) % 22) };
  const d2 = { x: 10 + ((h >>> 7) % 100), y: 70 + ((h >>> 13) % 40), r: 12 + ((h >>> 21) % 18) };
  const draw = PICTOGRAMS[product.category] ?? FALLBACK;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" width="480" height="480">
  <defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="hsl(${hue} 75% 95%)"/><stop offset="1" stop-color="hsl(${hue2} 65% 86%)"/>
  </linearGradient></defs>
  <rect width="120" height="120" fill="url(#bg)"/>
  <circle cx="${d1.x}" cy="${d1.y}" r="${d1.r}" fill="#fff" opacity=".35"/>
  <circle cx="${d2.x}" cy="${d2.y}" r="${d2.r}" fill="#fff" opacity=".25"/>
  <ellipse cx="60" cy="102" rx="36" ry="4" fill="hsl(${hue} 40% 30%)" opacity=".12"/>
  <g stroke-linejoin="round">${draw(palette)}</g>
</svg>`;
}

/** A data URL for `<img src>`: drawn here, fetched from nowhere. */
export function pictureUrl(product: Pick<Product, 'id' | 'title' | 'category'>): string {
  let url = cache.get(product.id);
  if (!url) {
    url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(pictureSvg(product).replace(/\s+/g, ' '))}`;
    cache.set(product.id, url);
  }
  return url;
}
