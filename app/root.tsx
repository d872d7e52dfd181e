import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useNavigation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, useState, type ReactNode } from "react";
import { AppShell } from "~/components/app-shell";
import { navigationFor } from "~/domain/permissions";
import { ERROR_PAGE_TEXT, formErrorOf } from "~/domain/refusal";
import { clearFlashCookie, hasFlashCookie, readFlash } from "~/lib/flash.server";
import { useNonce } from "~/lib/nonce";
import { getSignedIn } from "~/lib/session.server";
import { waitingCount } from "~/models/review.server";
import { currentBureauNames } from "~/models/settings.server";
import styles from "~/styles/app.css";
import pageStyles from "~/styles/pages.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: pageStyles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  // The account comes with its unread notifications (one statement); the reviewer's queue size and
  // the county's names are shared until the next write that changes them.
  const signedIn = await getSignedIn(request, context);
  const user = signedIn?.user ?? null;
  const unread = signedIn?.unread ?? 0;
  const flash = await readFlash(request);
  const [reviewQueue, names] = await Promise.all([
    user?.role === "reviewer" ? waitingCount(context.dbs.reader) : null,
    currentBureauNames(context.dbs.reader),
  ]);
  const body = { user, nav: navigationFor(user?.role ?? null), flash, counts: { unread, reviewQueue }, names };
  // The flash is shown once: the answer that carries it to the page (the document, or the
  // `.data` request that revalidates this loader after a redirect) also clears its cookie.
  if (!hasFlashCookie(request)) return body;
  return data(body, { headers: { "Set-Cookie": await clearFlashCookie() } });
}

export type RootData = ReturnType<typeof useLoaderData<typeof loader>>;

function Document({ children, title }: { children: ReactNode; title?: string }) {
  const nonce = useNonce();
  return (
    <html lang="zh-CN">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {title ? <title>{title}</title> : null}
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/**
 * The flash answers the form that led to this page; once the page sends another form it no longer
 * does. A refused form (400, 409) is answered without reading the loaders again, so without this a
 * green “草稿已保存” would stand above the red messages of the save that was just refused.
 */
function useCurrentFlash(flash: RootData["flash"]): RootData["flash"] {
  const navigation = useNavigation();
  const [answered, setAnswered] = useState<RootData["flash"]>(null);
  useEffect(() => {
    if (navigation.state === "submitting") setAnswered(flash);
  }, [navigation.state, flash]);
  // After a redirect the loader's answer is a new object (or null), shown as it comes.
  return flash === answered ? null : flash;
}

export default function App() {
  const data = useLoaderData<typeof loader>();
  const flash = useCurrentFlash(data.flash);
  return (
    <Document>
      <AppShell user={data.user} nav={data.nav} flash={flash} counts={data.counts} names={data.names}>
        <Outlet />
      </AppShell>
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const root = useRouteLoaderData<typeof loader>("root");
  let status = 500;
  let { message, title } = ERROR_PAGE_TEXT[500];
  if (isRouteErrorResponse(error)) {
    status = error.status;
    const known = ERROR_PAGE_TEXT[status];
    title = known?.title ?? `错误 ${status}`;
    message = formErrorOf(error.data) || known?.message || message;
  }
  return (
    <Document title={`${title} - 教育信息报送平台`}>
      <AppShell user={root?.user ?? null} nav={root?.nav ?? []} flash={null} counts={root?.counts} names={root?.names}>
        <section className="error-page" role="alert">
          <p className="error-code">{status}</p>
          <h1>{title}</h1>
          <p>{message}</p>
          <p>
            <a className="button" href="/">
              返回首页
            </a>
          </p>
        </section>
      </AppShell>
    </Document>
  );
}
