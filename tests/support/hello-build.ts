// A Remix server build of three routes (a root, /rankings and /rankings/:period), each rendering
// a line of text, for tests of the server's request handling without the portal's routes.
import { createRequire } from "node:module";
import type { AppLoadContext, EntryContext, ServerBuild } from "@remix-run/node";
import { createElement } from "react";

const require = createRequire(import.meta.url);

export type DocumentHandler = (request: Request, status: number, headers: Headers, context: EntryContext, loadContext: AppLoadContext) => Promise<Response> | Response;

interface BuildRoute {
  id: string;
  path: string;
  parentId?: string;
  index?: boolean;
  module: Record<string, unknown>;
}

/** A production server build of `routes` (the first the root), as the compiler makes one, with `entry` as its server entry. */
export function serverBuildOf(entry: Record<string, unknown>, routes: BuildRoute[]): ServerBuild {
  const manifest = (r: BuildRoute) => ({
    id: r.id, path: r.path, parentId: r.parentId, index: r.index, module: `/build/${r.id}.js`, hasAction: false, hasLoader: "loader" in r.module,
    hasClientAction: false, hasClientLoader: false, hasErrorBoundary: false, imports: [],
  });
  return {
    mode: "production",
    entry: { module: entry },
    routes: Object.fromEntries(routes.map((r) => [r.id, r])),
    assets: {
      entry: { imports: [], module: "/build/entry.client.js" },
      routes: Object.fromEntries(routes.map((r) => [r.id, manifest(r)])),
      url: "/build/manifest.js",
      version: "test",
    },
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    future: { v3_singleFetch: true, v3_lazyRouteDiscovery: true },
    isSpaMode: false,
  } as unknown as ServerBuild;
}

/**
 * A build with a root, /rankings (index) and /rankings/:period, rendering through
 * `handleDocumentRequest` (and handing `.data` responses to `handleDataRequest`, when given).
 */
export function helloBuild(handleDocumentRequest: DocumentHandler, handleDataRequest?: (response: Response, args: { request: Request }) => Response): ServerBuild {
  const { Outlet, Scripts } = require("@remix-run/react") as typeof import("@remix-run/react");
  const page = (text: string) => ({ default: () => createElement("p", null, text), loader: () => ({}) });
  const root = { default: () => createElement("div", null, "你好", createElement(Outlet), createElement(Scripts)), loader: () => ({}) };
  return serverBuildOf({ default: handleDocumentRequest, handleDataRequest }, [
    { id: "root", path: "", module: root },
    { id: "routes/rankings._index", parentId: "root", path: "rankings", index: true, module: page("排行") },
    { id: "routes/rankings.$period", parentId: "root", path: "rankings/:period", module: page("某月") },
  ]);
}
