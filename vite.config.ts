import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const src = (p: string) => fileURLToPath(new URL(`./src/${p}`, import.meta.url));

/**
 * Two library builds from the same sources:
 * - default mode: ES modules for bundlers, `tacit.js` (small, loaded on every page) and `tacit-engine.js`
 *   (delivery and scoring, imported lazily by `tacit.js`), `tacit-webgl.js` (TensorFlow.js for the WebGL
 *   path, imported by the engine only when WebGL scores), and `tacit-capture.js` (reading products
 *   from the page's markup, imported lazily by `startCapture`), and `tacit-widgets.js` (the custom elements,
 *   imported lazily by `defineTacitElements`);
 * - `--mode iife`: `tacit.iife.js` for the script tag, which imports `tacit-engine.js` and
 *   `tacit-capture.js` from its own folder.
 */
export default defineConfig(({ mode }) =>
  mode === 'iife'
    ? {
        build: {
          emptyOutDir: false,
          minify: true,
          sourcemap: true,
          lib: { entry: src('standalone.ts'), formats: ['iife'], name: 'tacitStandalone', fileName: () => 'tacit.iife.js' },
        },
      }
    : {
        plugins: [
          {
            // tfjs-core's browser platform imports tf.io's model stores to register them; Tacit has no use
            // for them (webgl/io-stub.ts). Only that importer's `../io/*` imports are redirected.
            name: 'tacit-tfjs-io-stub',
            enforce: 'pre',
            resolveId(source: string, importer: string | undefined) {
              if (importer && /tfjs-core[\\/]dist[\\/]platforms[\\/]platform_browser\.js$/.test(importer) && /^\.\.\/io\//.test(source)) return src('engine/webgl/io-stub.ts');
              return null;
            },
          },
        ],
        resolve: {
          // tfjs-core's base entry instead of its index, for Tacit's modules and tfjs-backend-webgl alike: the
          // index registers every gradient and chained op (TFJS-FACTS.md, custom modules).
          alias: [
            { find: /^@tensorflow\/tfjs-core$/, replacement: src('engine/webgl/core.ts') },
            { find: /^@tensorflow\/tfjs-backend-cpu\/dist\/shared$/, replacement: src('engine/webgl/cpu-shared.ts') },
          ],
        },
        build: {
          minify: true,
          sourcemap: true,
          lib: {
            entry: {
              tacit: src('index.ts'),
              'tacit-engine': src('engine/index.ts'),
              'tacit-webgl': src('engine/webgl/index.ts'),
              'tacit-capture': src('events/capture/index.ts'),
              'tacit-widgets': src('widgets/index.ts'),
            },
            formats: ['es'],
            fileName: (_format, name) => `${name}.js`,
          },
          // Vite leaves whitespace in ES library builds; the engine is also served as-is to script-tag pages, so minify fully.
          rolldownOptions: { output: { chunkFileNames: 'chunks/[name]-[hash].js', minify: true } },
        },
      },
);
