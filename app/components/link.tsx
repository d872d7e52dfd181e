// The portal's links inside pages (rows of lists, pagers, "查看" links). In the browser each is
// Remix's Link (client-side navigation, prefetch, route discovery). On the server, where a page is
// rendered once and nothing is clicked, a link to a plain path in the portal is the same <a> written
// directly: a Link there resolves its path against the route matches, reads the router's state and
// sets up its click and prefetch handling for nothing, on lists of twenty or fifty links per page.
// The markup is the Link's own, attribute for attribute, so the browser hydrates it as one
// (tests/components/link.test.tsx compares the two). Anything else (a relative path, another site,
// an object, prefetch on render) is Remix's Link on the server too.
import { Link as RemixLink, type LinkProps } from "@remix-run/react";
import { forwardRef } from "react";

/**
 * A path in the portal that Remix's Link writes into href unchanged: from the root, not another
 * site's ("//…"), with no empty search or hash (which it drops).
 */
const PLAIN_PATH = /^\/(?!\/)[^?#]*(?:\?[^#]+)?(?:#.+)?$/;

/** Whether `to` is written as it is by Remix's Link (so the server can write it itself). */
export function isPlainPath(to: LinkProps["to"]): to is string {
  return typeof to === "string" && PLAIN_PATH.test(to);
}

export const Link = forwardRef<HTMLAnchorElement, LinkProps>(function Link(props, ref) {
  if (typeof document !== "undefined" || !isPlainPath(props.to) || props.prefetch === "render") return <RemixLink ref={ref} {...props} />;
  // What Remix's Link and React Router's keep for themselves; the rest goes onto the <a> as they pass it.
  const {
    to, prefetch: _prefetch, discover = "render", reloadDocument, target,
    onClick: _onClick, relative: _relative, replace: _replace, state: _state, preventScrollReset: _preventScrollReset, viewTransition: _viewTransition,
    ...rest
  } = props;
  return <a {...rest} data-discover={discover === "render" && !reloadDocument ? "true" : undefined} href={to} target={target} />;
});
