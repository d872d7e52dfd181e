// The patches in patches/ (applied by `patch-package` after every install) make Remix's server
// match a request's route tree without flattening, ranking and compiling it afresh each time: the
// request handler, the static handler and the rendering each matched all 57 routes, a tenth of a
// page's CPU. These tests fail if a patch is missing or no longer applies.
import { createRequire } from "node:module";
import { createRequestHandler, createReadableStreamFromReadable } from "@remix-run/node";
import { matchRoutes, type AgnosticRouteObject as RouteObject } from "@remix-run/router";
import { createElement } from "react";
import { renderToPipeableStream, renderToString } from "react-dom/server";
import { PassThrough } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { helloBuild, type DocumentHandler } from "../support/hello-build";

const require = createRequire(import.meta.url);

describe("route matching on the server", () => {
  it("flattens and ranks one route tree once: later matches reuse it", () => {
    // The server's trees never change once built; a tree changed in place shows the reuse.
    const routes: RouteObject[] = [{ path: "items" }];
    expect(matchRoutes(routes, "/items")?.[0].route.path).toBe("items");
    routes.push({ path: "news" });
    expect(matchRoutes(routes, "/news")).toBeNull();
    // A new tree is flattened afresh.
    expect(matchRoutes([...routes], "/news")?.[0].route.path).toBe("news");
  });

  it("matches a pathname once per tree: a later match of it is a copy of the kept answer", () => {
    const routes: RouteObject[] = [{ path: "/", children: [{ path: "review/:id" }, { path: "units/:code/items" }] }];
    // Matching decodes the pathname first; the kept answer skips that and the search.
    const decode = vi.spyOn(globalThis, "decodeURIComponent");
    const first = matchRoutes(routes, "/review/%E4%B8%AD");
    const decoded = decode.mock.calls.length;
    const again = matchRoutes(routes, "/review/%E4%B8%AD");
    const decodedAgain = decode.mock.calls.length;
    decode.mockRestore();
    expect(decoded).toBeGreaterThan(0);
    expect(decodedAgain).toBe(decoded);
    expect(again).toEqual(first);
    expect(first?.at(-1)?.params).toEqual({ id: "中" });
    // Each caller gets its own matches and params; the matches of one answer share one params object, as before.
    expect(again).not.toBe(first);
    expect(again![0]).not.toBe(first![0]);
    expect(again![0].params).toBe(again![1].params);
    (again![1].params as Record<string, string>).id = "改";
    expect(matchRoutes(routes, "/review/%E4%B8%AD")?.at(-1)?.params).toEqual({ id: "中" });
    // Another pathname, and no match at all, are answered (and kept) on their own.
    expect(matchRoutes(routes, "/units/x01/items")?.at(-1)?.params).toEqual({ code: "x01" });
    expect(matchRoutes(routes, "/nowhere")).toBeNull();
    expect(matchRoutes(routes, "/nowhere")).toBeNull();
  });

  it("still matches params, index routes, optional segments and case as before", () => {
    const routes: RouteObject[] = [
      { path: "/", children: [{ index: true }, { path: "review/:id" }, { path: "rankings/:period?" }, { path: "Items", caseSensitive: true }] },
    ];
    expect(matchRoutes(routes, "/review/42")?.at(-1)?.params).toEqual({ id: "42" });
    expect(matchRoutes(routes, "/rankings")?.at(-1)?.route.path).toBe("rankings/:period?");
    expect(matchRoutes(routes, "/rankings/2026-11")?.at(-1)?.params).toEqual({ period: "2026-11" });
    expect(matchRoutes(routes, "/")?.at(-1)?.route.index).toBe(true);
    expect(matchRoutes(routes, "/Items")?.at(-1)?.route.path).toBe("Items");
    expect(matchRoutes(routes, "/items")).toBeNull();
    expect(matchRoutes(routes, "/review/42/x")).toBeNull();
  });

  it("converts the rendering's route tree to data routes once per tree", () => {
    const { createStaticRouter } = require("react-router-dom/server") as typeof import("react-router-dom/server");
    const routes: RouteObject[] = [{ id: "root", path: "/" }];
    const context = { matches: [], location: { pathname: "/" }, basename: "/" } as never;
    expect(createStaticRouter(routes, context).routes).toBe(createStaticRouter(routes, context).routes);
    expect(createStaticRouter([...routes], context).routes).not.toBe(createStaticRouter(routes, context).routes);
  });

  it("creates the rendering's server routes once per build", async () => {
    const remixRoutes = require("@remix-run/react/dist/routes.js") as { createServerRoutes: (...args: unknown[]) => unknown };
    const created = vi.spyOn(remixRoutes, "createServerRoutes");
    const { RemixServer } = require("@remix-run/react") as typeof import("@remix-run/react");
    const handleDocumentRequest: DocumentHandler = (request, status, headers, context) =>
      new Promise<Response>((resolve, reject) => {
        const { pipe } = renderToPipeableStream(createElement(RemixServer, { context, url: request.url }), {
          onAllReady() {
            const body = new PassThrough();
            resolve(new Response(createReadableStreamFromReadable(body), { status, headers }));
            pipe(body);
          },
          onShellError: reject,
        });
      });
    const handler = createRequestHandler(helloBuild(handleDocumentRequest), "production");
    for (let i = 0; i < 3; i++) {
      const res = await handler(new Request("http://localhost/"));
      expect(await res.text()).toContain("你好");
    }
    expect(created).toHaveBeenCalledTimes(1);
    created.mockRestore();
  });

  it("finds the routes of a page's ancestor paths for its manifest once per path", async () => {
    const router = require("@remix-run/router") as { matchRoutes: (...args: unknown[]) => unknown };
    const { RemixServer } = require("@remix-run/react") as typeof import("@remix-run/react");
    const handler = createRequestHandler(
      helloBuild((request, status, headers, context) => {
        const html = renderToString(createElement(RemixServer, { context, url: request.url }));
        return new Response(html, { status, headers });
      }),
      "production",
    );
    const matched = vi.spyOn(router, "matchRoutes");
    const calls: number[] = [];
    for (let i = 0; i < 3; i++) {
      matched.mockClear();
      const html = await (await handler(new Request("http://localhost/rankings/2026-11"))).text();
      calls.push(matched.mock.calls.length);
      // "/rankings" is an ancestor of the page: its index route goes into the page's manifest.
      expect(html).toContain('"routes/rankings._index"');
      expect(html).toContain('"routes/rankings.$period"');
    }
    matched.mockRestore();
    // The page's own matches are made every time; its ancestors "/" and "/rankings" only the first time.
    expect(calls[1]).toBe(calls[0] - 2);
    expect(calls[2]).toBe(calls[1]);
  });
});
