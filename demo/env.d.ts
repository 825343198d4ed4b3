/**
 * Type shims for the demo's typecheck (tsc -p tsconfig.json includes demo/).
 * - `tacit` needs none: tsconfig.json's `paths` maps it to src/index.ts, the sources its published
 *   declarations (dist/types) are generated from; at build time Vite aliases it to the built dist/tacit.js.
 * - scripts/paths.mjs is plain JavaScript (the project's tsconfig has no allowJs).
 */
declare module '*/scripts/paths.mjs' {
  /** The repository root, absolute. */
  export const ROOT: string;
  /** The shared data folder: $TACIT_DATA or ../shared/data next to the repository. */
  export const SHARED_DATA: string;
}

/** CSS imported for its side effect (Vite bundles it). */
declare module '*.css';
