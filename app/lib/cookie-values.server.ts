import type { Cookie } from "@remix-run/node";

// Every value a Cookie header carries under one name. A browser sends a name more than once when
// cookies of that name were set with different paths or domains (the longest path first), so a
// cookie planted by another service on the same host can stand before the portal's own: a reader
// that takes only the first (as the `cookie` package does) would see the planted one alone.

/** The raw values (still encoded, as sent) of every cookie called `name` in `header`, in order. */
export function cookieValues(header: string | null, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at < 0 || part.slice(0, at).trim() !== name) continue;
    let value = part.slice(at + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    values.push(value);
  }
  return values;
}

/** The values of every cookie of `cookie`'s name in `header` that carries the portal's signature, read, in order. */
export async function signedValues(cookie: Cookie, header: string | null): Promise<unknown[]> {
  const values: unknown[] = [];
  for (const raw of cookieValues(header, cookie.name)) {
    const value: unknown = await cookie.parse(`${cookie.name}=${raw}`);
    if (value !== null) values.push(value);
  }
  return values;
}
