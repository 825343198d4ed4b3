/**
 * The package as a user gets it (issue 12, defect 9): `npm pack`, the tarball installed into an empty
 * folder, `npx tacit --help` and a tiny `tacit train` there, and a small TypeScript app that imports
 * `tacit` and `tacit/standalone` type-checked against the packed declarations.
 *
 * Offline by construction (CI and this machine reach no registry at test time): the tarball is unpacked
 * into `node_modules/tacit` as npm would, and each dependency the packed package.json DECLARES is linked
 * from this repository's node_modules; nothing else is, so an import of an undeclared package fails here
 * as it would for a user. `npm pack --ignore-scripts`: `npm test` has just built dist/ and trainer-dist/,
 * which the `prepack` script builds when publishing.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, chmodSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
let tmp = '';
let app = '';
let files: string[] = [];

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' } });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

beforeAll(() => {
  for (const built of ['dist/tacit.js', 'dist/tacit.iife.js', 'dist/types/index.d.ts', 'trainer-dist/trainer/cli.js']) {
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build && npm run build:trainer\` first (npm test does)`);
  }
  tmp = mkdtempSync(join(tmpdir(), 'tacit-pack-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8' })) as { filename: string; files: { path: string }[] }[];
  files = packed[0]!.files.map((f) => f.path);
  app = join(tmp, 'app');
  const modules = join(app, 'node_modules');
  mkdirSync(modules, { recursive: true });
  execFileSync('tar', ['-xzf', join(tmp, packed[0]!.filename), '-C', modules]);
  renameSync(join(modules, 'package'), join(modules, 'tacit'));
  const pkg = JSON.parse(readFileSync(join(modules, 'tacit', 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; bin: Record<string, string> };
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    mkdirSync(dirname(join(modules, dep)), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', dep), join(modules, dep), 'dir');
  }
  // What npm's bin linking does.
  mkdirSync(join(modules, '.bin'));
  for (const [name, target] of Object.entries(pkg.bin)) {
    symlinkSync(join('..', 'tacit', target), join(modules, '.bin', name));
    chmodSync(join(modules, 'tacit', target), 0o755);
  }
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module', dependencies: { tacit: '*' } }));
}, 120_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships the builds, the types and the command, and no sources or tests', () => {
    for (const f of ['package.json', 'bin/tacit.mjs', 'dist/tacit.js', 'dist/tacit.iife.js', 'dist/tacit-engine.js', 'dist/types/index.d.ts', 'dist/types/standalone.d.ts', 'trainer-dist/trainer/cli.js']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => /^(src|test|demo|scripts)\//.test(f))).toEqual([]);
  });

  it('installed, `npx tacit --help` prints the usage', () => {
    const r = run('npx', ['--no', '--', 'tacit', '--help'], app);
    expect(r.out).toContain('tacit train <sessions> --out <dir>');
    expect(r.code).toBe(0);
  });

  it('installed, `tacit train` writes a model folder from a tiny sessions file', () => {
    // 12 items in 3 loops, 300 sessions of 4 to 7 steps: enough for every item to pass the count threshold.
    const lines: string[] = [];
    for (let s = 0; s < 300; s++) {
      const loop = s % 3;
      const start = (s * 7) % 4;
      const len = 4 + (s % 4);
      lines.push(Array.from({ length: len }, (_, t) => `i${loop * 4 + ((start + t) % 4)}`).join(' '));
    }
    writeFileSync(join(app, 'sessions.txt'), lines.join('\n') + '\n');
    const r = run('npx', ['--no', '--', 'tacit', 'train', 'sessions.txt', '--out', 'model', '--dim', '8', '--epochs', '1', '--recent-epochs', '0', '--negatives', '8', '--threads', '1', '--quiet'], app);
    expect(r.out).toMatch(/^model m[0-9a-f]+: /m);
    expect(r.code).toBe(0);
    const pointer = JSON.parse(readFileSync(join(app, 'model', 'latest.json'), 'utf8')) as { modelVersion: string };
    const manifest = JSON.parse(readFileSync(join(app, 'model', pointer.modelVersion, 'manifest.json'), 'utf8')) as { items: string[] };
    expect([...manifest.items].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `i${i}`).sort());
  }, 120_000);

  it('a small app importing `tacit` and `tacit/standalone` type-checks against the packed declarations', () => {
    writeFileSync(
      join(app, 'app.ts'),
      [
        "import { createTacit, EVENT_TYPES, type TacitMethod, type TrackInput, type Recommendation } from 'tacit';",
        "import type { TacitApi } from 'tacit/standalone';",
        "const tacit = createTacit({ model: '/models/shop/latest.json' });",
        "const view: TrackInput = { type: 'view_item', itemId: 'sku-1' };",
        'void tacit.track(view);',
        'const recs: Promise<Recommendation[]> = tacit.recommend({ k: 4 });',
        'void recs;',
        "const methods: TacitMethod[] = ['track', 'recommend'];",
        'const names: readonly string[] = EVENT_TYPES;',
        'void names;',
        'void methods;',
        '// @ts-expect-error TacitMethod names the API methods only',
        "const bad: TacitMethod = 'fetch';",
        'void bad;',
        '// The script tag types window.tacit: the queue array before it loads, the API after.',
        'const api = window.tacit;',
        "if (api && !Array.isArray(api)) { const loaded: TacitApi = api; void loaded.recommend(); }",
        "// @ts-expect-error the event names are typed: a misspelt one does not compile",
        "void tacit.track({ type: 'view_itme', itemId: 'sku-1' });",
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], strict: true, noEmit: true, types: [], skipLibCheck: true },
        files: ['app.ts'],
      }),
    );
    const r = run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);
});
