// A page's component rendered on the server as Remix renders it, on a GET or after a POST: in a data
// router whose route answers with the loader data (and action data) a test got from the real loader
// and action (see call() and bodyOf() in ./app), so the test reads what the person would see.
import type { ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";

export async function renderAfterPost(
  Page: ComponentType,
  { url, loaderData, actionData }: { url: string; loaderData: object; actionData: object },
): Promise<string> {
  const { pathname } = new URL(url, "http://localhost");
  const routes = [{ id: "page", path: pathname, loader: () => loaderData, action: () => actionData, Component: Page }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(new URL(url, "http://localhost"), { method: "POST", body: new URLSearchParams() }));
  if (context instanceof Response) throw new Error(`the page answered ${context.status} instead of rendering`);
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />);
}

/** `Page` as the server renders it on a GET, with `loaderData` as its loader's answer. */
export async function renderPage(Page: ComponentType, loaderData: unknown): Promise<string> {
  const routes = [{ id: "root", path: "/", loader: () => null, children: [{ index: true as const, loader: () => loaderData as object, Component: Page }] }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request("http://localhost/"));
  if (context instanceof Response) throw new Error(`the page answered ${context.status} instead of rendering`);
  return renderToString(<StaticRouterProvider router={createStaticRouter(handler.dataRoutes, context)} context={context} hydrate={false} />);
}
