/**
 * Type shims for the demo's typecheck (tsc -p tsconfig.json includes demo/).
 * - `tacit`: at build time Vite aliases it to the built dist/tacit.js (demo/vite.config.ts); its declarations
 *   (dist/types) only exist after `tsc -p tsconfig.build.json`, so the typecheck reads the same types from
 *   the sources they are generated from. An ambient declaration wins over package resolution.
 * - scripts/paths.mjs is plain JavaScript (the project's tsconfig has no allowJs).
 */
declare module 'tacit' {
  export const createTacit: typeof import('../src/index.js').createTacit;
  export type Tacit = import('../src/index.js').Tacit;
  export type TacitOptions = import('../src/index.js').TacitOptions;
  export type RecommendOptions = import('../src/index.js').RecommendOptions;
  export type Recommendation = import('../src/index.js').Recommendation;
  export type PropensityResult = import('../src/index.js').PropensityResult;
  export type FeatureContribution = import('../src/index.js').FeatureContribution;
  export type BackendName = import('../src/index.js').BackendName;
  export type TrackInput = import('../src/index.js').TrackInput;
  export type TacitEvent = import('../src/index.js').TacitEvent;
}

declare module '*/scripts/paths.mjs' {
  /** The repository root, absolute. */
  export const ROOT: string;
  /** The shared data folder: $TACIT_DATA or ../shared/data next to the repository. */
  export const SHARED_DATA: string;
}

/** CSS imported for its side effect (Vite bundles it). */
declare module '*.css';
