// The Content-Disposition of a download: the Chinese file name as RFC 5987 `filename*` and a
// plain ASCII `filename` for clients that read only that. encodeURIComponent leaves ' ( ) * as
// they are, which `filename*` may not hold: a unit named 城关镇中心学校(东校区) made the header
// one that strict readers refuse whole. Those are encoded too, and the ASCII name keeps only
// characters that need no quoting.

/** The Chinese name percent-encoded as RFC 5987 allows (attr-char or %XX). */
export function extValue(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `attachment` with both names; any character of `ascii` outside letters, digits, . _ - becomes _. */
export function attachmentDisposition(ascii: string, name: string): string {
  return `attachment; filename="${ascii.replace(/[^A-Za-z0-9._-]/g, "_")}"; filename*=UTF-8''${extValue(name)}`;
}
