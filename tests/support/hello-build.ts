// A Remix server build of three routes (a root, /rankings and /rankings/:period), each rendering
// a line of text, for tests of the server's request handling without the portal's routes.
import { createRequire } from "node:module";
import type { AppLoadContext, EntryContext, ServerBuild } from "@remix-run/node";
import { createElement } from "react";

const require = createRequire(import.meta.url);

export type DocumentHandler = (request: Request, status: number, headers: Headers, context: EntryContext, loadContext: AppLoadContext) => Promise<Response> | Response;

/**
 * A build with a root, /rankings (index) and /rankings/:period, rendering through
 * `handleDocumentRequest` (and handing `.data` responses to `handleDataRequest`, when given).
 */
export function helloBuild(handleDocumentRequest: DocumentHandler, handleDataRequest?: (response: Response, args: { request: Request }) => Response): ServerBuild {
  const route = (id: string, path: string | undefined, parentId?: string, index?: boolean) => ({
    id, path, parentId, index, module: `/build/${id}.js`, hasAction: false, hasLoader: true, hasClientAction: false,
    hasClientLoader: false, hasErrorBoundary: false, imports: [],
  });
  const { Outlet, Scripts } = require("@remix-run/react") as typeof import("@remix-run/react");
  const page = (text: string) => ({ default: () => createElement("p", null, text), loader: () => ({}) });
  const root = { default: () => createElement("div", null, "你好", createElement(Outlet), createElement(Scripts)), loader: () => ({}) };
  return {
    mode: "production",
    entry: { module: { default: handleDocumentRequest, handleDataRequest } },
    routes: {
      root: { id: "root", path: "", module: root },
      "routes/rankings._index": { id: "routes/rankings._index", parentId: "root", path: "rankings", index: true, module: page("排行") },
      "routes/rankings.$period": { id: "routes/rankings.$period", parentId: "root", path: "rankings/:period", module: page("某月") },
    },
    assets: {
      entry: { imports: [], module: "/build/entry.client.js" },
      routes: {
        root: route("root", ""),
        "routes/rankings._index": route("routes/rankings._index", "rankings", "root", true),
        "routes/rankings.$period": route("routes/rankings.$period", "rankings/:period", "root"),
      },
      url: "/build/manifest.js",
      version: "test",
    },
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    future: { v3_singleFetch: true, v3_lazyRouteDiscovery: true },
    isSpaMode: false,
  } as unknown as ServerBuild;
}
