// The load test's baseline: a bare Remix app with one "hello" route and nothing else (no
// database, no session, no layout), served by Remix's request handler behind Express exactly as
// the portal's own server does, streamed with renderToPipeableStream as the default entry does.
// `npm run loadtest` starts it as a separate process and divides each page's latency by this one.
// Prints "hello-remix http://127.0.0.1:<port>" when it listens (PORT, default 0 = any free port), on
// WEB_CONCURRENCY processes like the portal.
import { createRequestHandler } from "@remix-run/express";
import { createReadableStreamFromReadable, type EntryContext, type ServerBuild } from "@remix-run/node";
import { Links, Meta, RemixServer, Scripts } from "@remix-run/react";
import express from "express";
import cluster from "node:cluster";
import type { AddressInfo } from "node:net";
import { PassThrough } from "node:stream";
import { renderToPipeableStream } from "react-dom/server";

function Root() {
  return (
    <html lang="zh-CN">
      <head>
        <meta charSet="utf-8" />
        <Meta />
        <Links />
      </head>
      <body>
        <p>你好</p>
        <Scripts />
      </body>
    </html>
  );
}

function handleDocumentRequest(request: Request, status: number, headers: Headers, context: EntryContext) {
  return new Promise<Response>((resolve, reject) => {
    const { pipe } = renderToPipeableStream(<RemixServer context={context} url={request.url} />, {
      onShellReady() {
        const body = new PassThrough();
        headers.set("Content-Type", "text/html; charset=utf-8");
        resolve(new Response(createReadableStreamFromReadable(body), { status, headers }));
        pipe(body);
      },
      onShellError: reject,
    });
  });
}

const build = {
  mode: "production",
  entry: { module: { default: handleDocumentRequest } },
  routes: {
    root: { id: "root", path: "", module: { default: Root, loader: () => ({ hello: "你好" }) } },
  },
  assets: {
    entry: { imports: [], module: "/build/entry.client.js" },
    routes: {
      root: {
        id: "root", path: "", module: "/build/root.js", hasAction: false, hasLoader: true, hasClientAction: false,
        hasClientLoader: false, hasErrorBoundary: false, imports: [],
      },
    },
    url: "/build/manifest.js",
    version: "hello",
  },
  publicPath: "/build/",
  assetsBuildDirectory: "public/build",
  // The portal's flags (remix.config.js), so the baseline does the same work per request.
  future: { v3_singleFetch: true, v3_lazyRouteDiscovery: true },
  isSpaMode: false,
} as unknown as ServerBuild;

// WEB_CONCURRENCY processes, as the portal runs (node:cluster: the primary hands connections to the workers).
const workers = Number(process.env.WEB_CONCURRENCY || 1);
if (workers > 1 && cluster.isPrimary) {
  let listening = 0;
  cluster.on("listening", (_worker, address) => {
    if (++listening === workers) console.log(`hello-remix http://127.0.0.1:${address.port}`);
  });
  for (let i = 0; i < workers; i++) cluster.fork();
  process.once("SIGTERM", () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
    cluster.once("exit", () => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  });
} else {
  const app = express();
  app.disable("x-powered-by");
  // The same adapter the portal hands its requests to Remix through.
  app.all("*", createRequestHandler({ build, mode: "production" }));
  const server = app.listen(Number(process.env.PORT || 0), "127.0.0.1", () => {
    if (workers === 1) console.log(`hello-remix http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  process.once("SIGTERM", () => server.close(() => process.exit(0)));
}
