// What the server hands every loader and action: the databases and per-request facts.
import type { SignedIn } from "~/models/auth.server";
import type { Databases } from "~/models/db.server";

export type PortalContext = {
  dbs: Databases;
  /** CSP nonce of this response. */
  nonce: string;
  /** The client's address, for throttling and the audit trail. */
  ip: string;
  /**
   * Made afresh for each request by the server (absent in tests that reuse one context): the
   * signed-in account (and its unread count), looked up once when a page's loaders (the layout's
   * and the page's) all ask.
   */
  requestMemo?: { signedIn?: { sessionId: string; signedIn: Promise<SignedIn | null> } };
};

declare module "@remix-run/node" {
  interface AppLoadContext extends PortalContext {}
}
declare module "@remix-run/server-runtime" {
  interface AppLoadContext extends PortalContext {}
}
