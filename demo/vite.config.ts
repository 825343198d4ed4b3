/**
 * The demo shop's build: a multi-page Vite app in demo/, output to demo/dist/, served by scripts/serve.mjs.
 *
 *   npm run build                                  # the SDK first: dist/tacit.js, tacit-engine.js, tacit.iife.js
 *   npx vite build --config demo/vite.config.ts    # then the shop
 *   node scripts/serve.mjs                         # shop http://localhost:5173, CDN http://127.0.0.1:5174
 *
 * - `tacit` resolves to the BUILT ES module (dist/tacit.js), as it would from npm, never to src/.
 * - The catalog is read from the shared data folder at build time and emitted as `catalog.json` without image
 *   URLs; the data's licence forbids committing it, and the pages draw their own pictures (demo/src/pictures.ts).
 * - Script-tag pages keep `%TACIT_CDN%` verbatim: scripts/serve.mjs replaces it with the CDN origin at serve
 *   time. In `vite` dev mode it is replaced with $TACIT_CDN (default http://127.0.0.1:5174, a running serve.mjs).
 */
import { defineConfig, type Plugin } from 'vite';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT, SHARED_DATA } from '../scripts/paths.mjs';

const DEMO = resolve(ROOT, 'demo');
const SDK_MODULE = resolve(ROOT, 'dist/tacit.js');
const CATALOG_SOURCE = resolve(SHARED_DATA, 'catalog-dummyjson/products.json');

/** One product as the shop's pages see it (demo/src/catalog.ts reads the same shape). */
interface CatalogEntry {
  id: string;
  title: string;
  description: string;
  category: string;
  price: number;
  rating: number;
  brand?: string;
  stock: number;
}

function readCatalog(): CatalogEntry[] {
  if (!existsSync(CATALOG_SOURCE)) {
    throw new Error(`demo: catalog not found at ${CATALOG_SOURCE}; set TACIT_DATA to the shared data folder`);
  }
  const raw = JSON.parse(readFileSync(CATALOG_SOURCE, 'utf8')) as Record<string, unknown>[];
  // Only what the pages show; no image URLs (no request may leave the shop's origin and the local CDN).
  return raw.map((p) => {
    const entry: CatalogEntry = {
      id: String(p.id),
      title: String(p.title),
      description: String(p.description ?? ''),
      category: String(p.category),
      price: Number(p.price),
      rating: Number(p.rating ?? 0),
      stock: Number(p.stock ?? 0),
    };
    if (typeof p.brand === 'string' && p.brand.trim()) entry.brand = p.brand;
    return entry;
  });
}

/** Emits `catalog.json` into the build and serves it in dev. */
function catalogPlugin(): Plugin {
  return {
    name: 'tacit-demo-catalog',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url?.split('?')[0] !== '/catalog.json') return next();
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(readCatalog()));
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'catalog.json', source: JSON.stringify(readCatalog()) });
    },
  };
}

/** In dev only: stands in for scripts/serve.mjs's `%TACIT_CDN%` replacement. */
function devCdnPlugin(): Plugin {
  return {
    name: 'tacit-demo-dev-cdn',
    apply: 'serve',
    transformIndexHtml: (html) => html.replaceAll('%TACIT_CDN%', process.env.TACIT_CDN ?? 'http://127.0.0.1:5174'),
  };
}

function sdkBuiltCheck(): Plugin {
  return {
    name: 'tacit-demo-sdk-check',
    buildStart() {
      if (!existsSync(SDK_MODULE)) throw new Error(`demo: ${SDK_MODULE} is missing; build the SDK first (npx vite build && npx vite build --mode iife)`);
    },
  };
}

export default defineConfig({
  root: DEMO,
  base: './',
  publicDir: false,
  envPrefix: 'DEMO_', // keeps Vite's %ENV% HTML replacement away from %TACIT_CDN%
  plugins: [sdkBuiltCheck(), catalogPlugin(), devCdnPlugin()],
  resolve: {
    alias: [{ find: /^tacit$/, replacement: SDK_MODULE }],
  },
  server: { port: 5173, strictPort: true },
  build: {
    outDir: resolve(DEMO, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 700, // the lazily loaded engine chunk (TensorFlow.js) is ~580 kB by design
    rolldownOptions: {
      input: {
        index: resolve(DEMO, 'index.html'),
        product: resolve(DEMO, 'product.html'),
        cart: resolve(DEMO, 'cart.html'),
        spa: resolve(DEMO, 'spa.html'),
      },
    },
  },
});
