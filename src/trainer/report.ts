/**
 * Evaluation reports: a Markdown file and a self-contained HTML page whose plots are inline SVG (no
 * scripts, no requests), written side by side.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
  /** Drawn dashed (e.g. a reference diagonal). */
  dashed?: boolean;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** Axis ranges; default: the data's range (y from 0). */
  x?: [number, number];
  y?: [number, number];
  /** Draw a dot at each point (for sparse series such as a reliability curve). */
  dots?: boolean;
}

const COLORS = ['#1b6ac9', '#d9480f', '#2b8a3e', '#862e9c', '#111111', '#e6a700', '#c2255c', '#0b7285'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function niceTicks(lo: number, hi: number, n = 5): number[] {
  const span = hi - lo || 1;
  const raw = span / n;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= n) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** A line chart as an SVG string. */
export function lineChart(spec: ChartSpec, width = 760, height = 360): string {
  const m = { l: 56, r: 250, t: 32, b: 44 };
  const pts = spec.series.flatMap((s) => s.points);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const [x0, x1] = spec.x ?? [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = spec.y ?? [0, Math.max(...ys) * 1.05 || 1];
  const W = width - m.l - m.r;
  const H = height - m.t - m.b;
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0 || 1)) * W;
  const sy = (y: number) => m.t + H - ((y - y0) / (y1 - y0 || 1)) * H;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-label="${esc(spec.title)}">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  parts.push(`<text x="${m.l}" y="18" font-size="14" font-weight="600">${esc(spec.title)}</text>`);
  for (const t of niceTicks(x0, x1)) {
    parts.push(`<line x1="${sx(t).toFixed(1)}" y1="${m.t}" x2="${sx(t).toFixed(1)}" y2="${m.t + H}" stroke="#eee"/>`);
    parts.push(`<text x="${sx(t).toFixed(1)}" y="${m.t + H + 16}" text-anchor="middle" fill="#444">${t}</text>`);
  }
  for (const t of niceTicks(y0, y1)) {
    parts.push(`<line x1="${m.l}" y1="${sy(t).toFixed(1)}" x2="${m.l + W}" y2="${sy(t).toFixed(1)}" stroke="#eee"/>`);
    parts.push(`<text x="${m.l - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end" fill="#444">${t}</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W}" height="${H}" fill="none" stroke="#999"/>`);
  parts.push(`<text x="${m.l + W / 2}" y="${height - 8}" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${m.t + H / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`);
  spec.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
    if (spec.dots) for (const p of s.points) parts.push(`<circle cx="${sx(p[0]).toFixed(1)}" cy="${sy(p[1]).toFixed(1)}" r="3" fill="${color}"/>`);
    const ly = m.t + 8 + i * 18;
    parts.push(`<line x1="${m.l + W + 12}" y1="${ly}" x2="${m.l + W + 32}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
    parts.push(`<text x="${m.l + W + 38}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** A report made of blocks, rendered both as Markdown and as HTML. */
export type Block =
  | { kind: 'heading'; text: string; level?: 1 | 2 | 3 }
  | { kind: 'text'; text: string }
  | { kind: 'table'; header: string[]; rows: (string | number)[][] }
  | { kind: 'chart'; chart: ChartSpec; file: string }
  | { kind: 'code'; text: string };

function toMarkdown(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'heading') out.push(`${'#'.repeat(b.level ?? 2)} ${b.text}`);
    else if (b.kind === 'text') out.push(b.text);
    else if (b.kind === 'code') out.push('```\n' + b.text + '\n```');
    else if (b.kind === 'table') {
      out.push(`| ${b.header.join(' | ')} |\n|${b.header.map(() => '---').join('|')}|\n` + b.rows.map((r) => `| ${r.join(' | ')} |`).join('\n'));
    } else out.push(`![${b.chart.title}](${b.file})`);
    out.push('');
  }
  return out.join('\n');
}

// Minimal inline Markdown for text blocks in HTML: `code`, **bold**, and nothing else.
const inline = (s: string) => esc(s).replace(/`([^`]+)`/g, '<code>$1</code>').replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>');

function toHtml(title: string, blocks: readonly Block[]): string {
  const body = blocks.map((b) => {
    if (b.kind === 'heading') return `<h${b.level ?? 2}>${esc(b.text)}</h${b.level ?? 2}>`;
    if (b.kind === 'text') return b.text.split(/\n\n+/).map((p) => `<p>${inline(p)}</p>`).join('\n');
    if (b.kind === 'code') return `<pre>${esc(b.text)}</pre>`;
    if (b.kind === 'table') {
      return `<table><thead><tr>${b.header.map((h) => `<th>${inline(h)}</th>`).join('')}</tr></thead><tbody>${b.rows
        .map((r) => `<tr>${r.map((c) => `<td>${inline(String(c))}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
    }
    return `<figure>${lineChart(b.chart)}</figure>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:900px;margin:2em auto;padding:0 1em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}pre{background:#f6f6f6;padding:8px;overflow:auto}figure{margin:1em 0}code{background:#f2f2f2;padding:0 3px}</style>
</head><body>
${body.join('\n')}
</body></html>
`;
}

/**
 * Writes `<dir>/<name>.md`, `<dir>/<name>.html` and, for the Markdown, each chart as `<dir>/<chart file>`.
 * Returns the paths written.
 */
export async function writeReport(dir: string, name: string, title: string, blocks: readonly Block[]): Promise<{ markdown: string; html: string }> {
  await mkdir(dir, { recursive: true });
  const markdown = join(dir, `${name}.md`);
  const html = join(dir, `${name}.html`);
  await writeFile(markdown, toMarkdown([{ kind: 'heading', text: title, level: 1 }, ...blocks]));
  await writeFile(html, toHtml(title, [{ kind: 'heading', text: title, level: 1 }, ...blocks]));
  for (const b of blocks) if (b.kind === 'chart') await writeFile(join(dir, b.file), lineChart(b.chart));
  return { markdown, html };
}

/** Fixed-precision number for tables. */
export const fmt = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
