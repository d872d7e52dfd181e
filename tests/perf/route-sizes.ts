// `npm run sizes`: per route, the JavaScript a first visit downloads (entry + root + the route's
// parents + the route's module + all their static imports, deduplicated), raw and gzip, read from
// the Remix build manifest (public/build/manifest-*.js). Also what the route loads later through
// dynamic import (React.lazy), and whether recharts is in either. Flags a non-chart route over the
// budget, or recharts anywhere it should not be; exits non-zero then.
// The same computation backs tests/e2e/route-sizes.test.ts (run after the build).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

/** gzip bytes a first visit to a non-chart route may download. */
// React, the router and the app shell are ≈ 86 KB gzip on every page; the largest page (the league
// tables with TanStack Table) is ≈ 104 KB. Form schemas are built inside functions so that zod
// (≈ 91 KB gzip) stays on the server; a zod call at module level anywhere would break this budget.
export const ROUTE_BUDGET_GZIP = 130 * 1024;
/** The only routes allowed to load recharts, and only lazily (React.lazy on the home dashboards). */
export const CHART_ROUTES = ["routes/_index"];

interface ManifestRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  module: string;
  imports?: string[];
}
interface Manifest {
  entry: { module: string; imports?: string[] };
  routes: Record<string, ManifestRoute>;
}

export interface RouteSize {
  id: string;
  /** Files a first visit downloads, as /build/... URLs. */
  files: string[];
  raw: number;
  gzip: number;
  /** Extra files reachable only through dynamic import (loaded later, on demand). */
  lazyFiles: string[];
  lazyGzip: number;
  rechartsOnFirstVisit: boolean;
  rechartsLazy: boolean;
}

export interface SizesReport {
  manifestFile: string;
  rechartsChunks: string[];
  /** The largest files with the package that makes up most of each (from the metafile). */
  largest: Array<{ url: string; gzip: number; routes: number; mainSource: string }>;
  routes: RouteSize[];
}

export function readManifest(publicBuild: string): { file: string; manifest: Manifest } {
  const name = readdirSync(publicBuild).find((f) => /^manifest-[A-Z0-9]+\.js$/.test(f));
  if (!name) throw new Error(`${publicBuild} 中没有 manifest-*.js：请先运行 npx remix build`);
  const text = readFileSync(path.join(publicBuild, name), "utf8");
  const json = text.replace(/^\s*window\.__remixManifest\s*=\s*/, "").replace(/;\s*$/, "");
  return { file: name, manifest: JSON.parse(json) as Manifest };
}

/** esbuild's client metafile: which sources went into each chunk, and its dynamic imports. */
interface Metafile {
  outputs: Record<string, { imports: Array<{ path: string; kind: string }>; inputs: Record<string, unknown> }>;
}

export function computeRouteSizes(root = process.cwd()): SizesReport {
  const publicBuild = path.join(root, "public/build");
  const { file, manifest } = readManifest(publicBuild);
  const metaPath = path.join(root, "build/metafile.js.json");
  const meta: Metafile | null = existsSync(metaPath) ? (JSON.parse(readFileSync(metaPath, "utf8")) as Metafile) : null;

  const diskPath = (url: string) => path.join(root, "public", url.replace(/^\//, ""));
  const urlOf = (outPath: string) => `/${path.relative(path.join(root, "public"), path.resolve(root, outPath)).split(path.sep).join("/")}`;
  const cache = new Map<string, { raw: number; gzip: number; recharts: boolean }>();
  const sizeOf = (url: string) => {
    let s = cache.get(url);
    if (!s) {
      const bytes = readFileSync(diskPath(url));
      const fromMeta = meta?.outputs[path.relative(root, diskPath(url)).split(path.sep).join("/")];
      const rechartsInputs = fromMeta ? Object.keys(fromMeta.inputs).some((i) => i.includes("node_modules/recharts/")) : false;
      // The metafile says which sources a chunk holds; the text check covers a build without it
      // (recharts' minified code keeps its CSS class names, e.g. "recharts-wrapper").
      const recharts = rechartsInputs || bytes.includes("recharts-");
      s = { raw: bytes.length, gzip: gzipSync(bytes).length, recharts };
      cache.set(url, s);
    }
    return s;
  };

  // Imports of a chunk by kind, from the metafile (manifest lists only static imports per route).
  const importsOf = (url: string, kind: "import-statement" | "dynamic-import") => {
    const out = meta?.outputs[path.relative(root, diskPath(url)).split(path.sep).join("/")];
    return (out?.imports ?? []).filter((i) => i.kind === kind && i.path.endsWith(".js")).map((i) => urlOf(i.path));
  };
  const staticClosure = (start: string[]) => {
    const seen = new Set<string>();
    const stack = [...start];
    while (stack.length) {
      const url = stack.pop()!;
      if (seen.has(url)) continue;
      seen.add(url);
      stack.push(...importsOf(url, "import-statement"));
    }
    return seen;
  };

  const routes: RouteSize[] = [];
  for (const route of Object.values(manifest.routes)) {
    const chain: ManifestRoute[] = [];
    for (let r: ManifestRoute | undefined = route; r; r = r.parentId ? manifest.routes[r.parentId] : undefined) chain.unshift(r);
    const first = new Set<string>([manifest.entry.module, ...(manifest.entry.imports ?? [])]);
    for (const r of chain) for (const f of [r.module, ...(r.imports ?? [])]) first.add(f);
    for (const f of staticClosure([...first])) first.add(f);
    const lazy = new Set<string>();
    for (const f of first) for (const d of importsOf(f, "dynamic-import")) for (const g of staticClosure([d])) if (!first.has(g)) lazy.add(g);
    const files = [...first].sort();
    const lazyFiles = [...lazy].sort();
    routes.push({
      id: route.id,
      files,
      raw: files.reduce((n, f) => n + sizeOf(f).raw, 0),
      gzip: files.reduce((n, f) => n + sizeOf(f).gzip, 0),
      lazyFiles,
      lazyGzip: lazyFiles.reduce((n, f) => n + sizeOf(f).gzip, 0),
      rechartsOnFirstVisit: files.some((f) => sizeOf(f).recharts),
      rechartsLazy: lazyFiles.some((f) => sizeOf(f).recharts),
    });
  }
  routes.sort((a, b) => b.gzip - a.gzip || a.id.localeCompare(b.id));
  const rechartsChunks = [...cache].filter(([, s]) => s.recharts).map(([url]) => url).sort();
  const mainSource = (url: string) => {
    const out = meta?.outputs[path.relative(root, diskPath(url)).split(path.sep).join("/")] as
      | { inputs: Record<string, { bytesInOutput?: number }> }
      | undefined;
    const bySource = new Map<string, number>();
    for (const [input, info] of Object.entries(out?.inputs ?? {})) {
      const key = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input;
      bySource.set(key, (bySource.get(key) ?? 0) + (info.bytesInOutput ?? 0));
    }
    return [...bySource].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "?";
  };
  const largest = [...cache]
    .sort((a, b) => b[1].gzip - a[1].gzip)
    .slice(0, 6)
    .map(([url, s]) => ({ url, gzip: s.gzip, routes: routes.filter((r) => r.files.includes(url) || r.lazyFiles.includes(url)).length, mainSource: mainSource(url) }));
  return { manifestFile: file, rechartsChunks, largest, routes };
}

/** What breaks the rules: recharts outside the chart routes or on any first visit; a non-chart route over budget. */
export function sizeProblems(report: SizesReport, budget = ROUTE_BUDGET_GZIP): string[] {
  const problems: string[] = [];
  for (const r of report.routes) {
    const chart = CHART_ROUTES.includes(r.id);
    if (r.rechartsOnFirstVisit) problems.push(`${r.id}：首次访问就下载 recharts（应只在图表路由上用 React.lazy 按需加载）`);
    if (!chart && r.rechartsLazy) problems.push(`${r.id}：不是图表路由，却会按需加载 recharts`);
    if (!chart && r.gzip > budget) problems.push(`${r.id}：首次访问 ${kb(r.gzip)} KB（gzip），超过预算 ${kb(budget)} KB`);
  }
  return problems;
}

const kb = (n: number) => (n / 1024).toFixed(1);

function main() {
  const report = computeRouteSizes();
  const log = (s = "") => process.stdout.write(`${s}\n`);
  log(`构建清单：public/build/${report.manifestFile}；含 recharts 的文件：${report.rechartsChunks.join("、") || "（无）"}`);
  log(`预算：非图表路由首次访问的 JavaScript ≤ ${kb(ROUTE_BUDGET_GZIP)} KB（gzip）；图表路由：${CHART_ROUTES.join("、")}`);
  log();
  log("| 路由 | 文件数 | 首次访问（原始） | 首次访问（gzip） | 按需加载（gzip） | recharts | 预算 |");
  log("|---|---:|---:|---:|---:|---|---|");
  for (const r of report.routes) {
    const chart = CHART_ROUTES.includes(r.id);
    const recharts = r.rechartsOnFirstVisit ? "首次访问即下载" : r.rechartsLazy ? "按需（React.lazy）" : "—";
    const budget = chart ? "图表路由" : r.gzip > ROUTE_BUDGET_GZIP ? "超出" : "符合";
    log(`| ${r.id} | ${r.files.length} | ${kb(r.raw)} KB | ${kb(r.gzip)} KB | ${r.lazyGzip ? `${kb(r.lazyGzip)} KB` : "—"} | ${recharts} | ${budget} |`);
  }
  log();
  log("最大的文件（gzip，主要来源，用到它的路由数）：");
  for (const f of report.largest) log(`  ${f.url}：${kb(f.gzip)} KB，${f.mainSource}，${f.routes} 个路由`);
  const problems = sizeProblems(report);
  log();
  if (problems.length) {
    log(`发现 ${problems.length} 个问题：`);
    for (const p of problems) log(`  ${p}`);
    process.exitCode = 1;
  } else {
    log("全部路由符合：recharts 只在图表路由上按需加载，非图表路由都在预算内。");
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
