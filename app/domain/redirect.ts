// Where a person may be sent back to after login (and after other forms that carry a return
// address): only a path on this portal. The target is parsed as a URL against the portal's own
// origin, the way a browser would, and anything that could leave the origin falls back.

/** Any origin works for the same-origin test; this one can never be a real host. */
const OWN_ORIGIN = "http://portal.invalid";

/** Longest return address kept; longer ones are not something the portal writes. */
export const MAX_REDIRECT_LENGTH = 2000;

// Control characters (browsers drop tab and newline inside URLs, so "/\t/evil" becomes
// "//evil"), any whitespace, and the backslash (browsers read it as "/").
const UNSAFE = /[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\\]/u;

function decodeFully(text: string): string | null {
  let current = text;
  for (let i = 0; i < 5; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) return current;
    current = next;
  }
  return null;
}

/**
 * A same-origin path (with its query and fragment, percent-encoded so it is plain ASCII and safe
 * in a Location header), or `fallback`. Never throws, whatever the text.
 */
export function safeRedirectPath(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || to.length === 0 || to.length > MAX_REDIRECT_LENGTH) return fallback;
  if (!to.startsWith("/") || UNSAFE.test(to)) return fallback;
  // Encoded forms of the same tricks ("/%2F%2Fevil", "/%5Cevil", "/%09/evil", double-encoded):
  // the path, decoded as far as it goes, must still be a plain path.
  const path = to.split(/[?#]/, 1)[0];
  const decoded = decodeFully(path);
  if (decoded === null || UNSAFE.test(decoded) || decoded.startsWith("//")) return fallback;
  let url: URL;
  try {
    url = new URL(to, OWN_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== OWN_ORIGIN) return fallback;
  const result = `${url.pathname}${url.search}${url.hash}`;
  if (!result.startsWith("/") || result.startsWith("//")) return fallback;
  // Back to the login or logout page would loop or sign the person straight out again.
  if (/^\/(login|logout)(?=$|[/?#])/i.test(url.pathname)) return fallback;
  return result;
}
