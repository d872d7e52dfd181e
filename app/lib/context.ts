// What the server hands every loader and action: the databases and per-request facts.
import type { Databases } from "~/models/db.server";

export type PortalContext = {
  dbs: Databases;
  /** CSP nonce of this response. */
  nonce: string;
  /** The client's address, for throttling and the audit trail. */
  ip: string;
};

declare module "@remix-run/node" {
  interface AppLoadContext extends PortalContext {}
}
declare module "@remix-run/server-runtime" {
  interface AppLoadContext extends PortalContext {}
}
