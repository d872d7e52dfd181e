// Bad input, never a 500. The built portal is started on a fresh seeded county; every action is
// posted to over HTTP, as a role allowed to use it, with a table of bad bodies made from a valid
// one: each required field missing, each field sent twice with conflicting values, wrong types,
// 1 MB strings, bytes that are not UTF-8, NUL and control characters, unknown and missing intents,
// wrong content types, broken multipart and bodies over the caps. Every answer must be a 400
// (or 404 for a row that does not exist, 409 for a stale version or a rule refusal, 413 for too
// much, 415 for a content type no form uses) with a Chinese message, and nothing may be written:
// every table's rows and the files under the data directory are compared before and after each
// batch. A sample of the cases is also posted as a browser without JavaScript would, and the page
// must show the same refusal. After each batch the valid body itself is sent once, so a refusal
// above cannot come from a base body that was never valid. The last checks fail when a route module
// exports an action, or its action handles an intent, that no spec here sends bad input to: a new
// page's form gets its spec with the page. FUZZ_TRACE=1 prints each case as it goes.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import sharp from "sharp";
import sqlite3 from "sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BULLETIN_LIMITS } from "~/domain/bulletins";
import { parsePointsRules } from "~/domain/catalog";
import { CANCEL_MAX, DECLINE_MAX, GUIDANCE_MAX, TOPIC_MAX } from "~/domain/requests";
import { REASON_MAX as REVIEW_REASON_MAX } from "~/domain/review";
import { POINTS_FIELDS } from "~/domain/rules-policy";
import { THEME_LIMITS } from "~/domain/themes";
import { BODY_LIMITS, limitText } from "~/lib/http.server";
import { BULLETIN_EDIT_INTENTS } from "~/lib/bulletin-actions.server";
import { dataUrl, decodeSingleFetch, SINGLE_FETCH_REDIRECT_STATUS } from "../support/single-fetch";
import { DEMO_PASSWORD, signInOverHttp, startPortal, type Portal } from "./support/portal";
import { intentsIn } from "./support/route-intents";

const FORM_CAP = 1024 * 1024;
const MULTIPART_CAP = 80 * 1024 * 1024;
/** A text value that keeps the whole urlencoded body just under the 1 MB form cap. */
const HUGE = "x".repeat(FORM_CAP - 16 * 1024);
const HAN = /[\u4e00-\u9fff]/;

// Sessions are exempt: every signed-in request slides its session's expiry, and logging in (the
// roles below, the login route's own control) adds rows. Nothing else may change while bad input
// is refused: a refused login never reaches the password check, so no login_attempts row, and an
// audit row is written only with a mutation, so none.
const EXEMPT_TABLES = new Set(["sessions"]);

let portal: Portal;
let db: sqlite3.Database;
const cookies = new Map<string, string>();

// ---------------------------------------------------------------------------------------------
// Bodies

/** A form field; a Buffer value is sent as raw bytes (percent-encoded byte by byte when urlencoded). */
interface Part {
  name: string;
  value: string | Buffer;
  /** Present for a file part. */
  filename?: string | Buffer;
  type?: string;
}

interface Field {
  name: string;
  required?: boolean;
  /** Wrong values: each must be refused with one of `badStatuses` (default 400). */
  bad?: string[];
  badStatuses?: number[];
  /** For an id of a row: what its absence and a 1 MB value may get (a row not found is a 404). */
  absentStatuses?: number[];
  /** Well-formed values that are simply not current (a version): 400 or 409. */
  stale?: string[];
  /** A 1 MB value must be refused; false for checkboxes, whose value is only compared, never kept. */
  huge?: boolean;
  /** A checkbox group the form sends more than once: the duplicate case adds a bad second value. */
  repeatable?: boolean;
  /** A file part: only missing and duplicated. */
  file?: boolean;
}

interface Case {
  name: string;
  statuses: number[];
  /** A form body made from parts, encoded like the spec's base. */
  parts?: Part[];
  /** A body as bytes with its content type (null: none). */
  raw?: { body: Buffer | string; contentType: string | null };
  /** A body streamed or declared over the socket (see `rawPost`). */
  stream?: { contentType: string; declared?: number; chunkedBytes?: number };
}

type Role = "admin" | "reviewer" | "x01-lead" | "x01-c1" | "x01-c2" | null;

interface Spec {
  /** Route file and intent, for messages. */
  label: string;
  url: string;
  role: Role;
  multipart?: boolean;
  base: Part[];
  fields: Field[];
  /** The base's intent value: unknown and missing intents are added. */
  intent?: string;
  extra?: Case[];
  /** Run the content-type, encoding and size cases on this spec (one spec per route). */
  bodyCases?: boolean;
  /** The most of a form the server reads for this sender (default FORM_CAP; the login form without a session: 32 KB; the 简报 editor: 3 MB). */
  formCap?: number;
  /** What the valid body itself gets: a redirect (single fetch: 202 with the target in the body), or these statuses. */
  control: "redirect" | number[];
}

const enc = (v: string | Buffer) =>
  typeof v === "string" ? encodeURIComponent(v) : [...v].map((b) => `%${b.toString(16).padStart(2, "0").toUpperCase()}`).join("");

function urlencoded(parts: Part[]): string {
  return parts.map((p) => `${enc(p.name)}=${enc(p.value)}`).join("&");
}

function multipart(parts: Part[], boundary: string, close = true): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const head = [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`)];
    if (p.filename !== undefined) {
      head.push(Buffer.from('; filename="'), Buffer.from(p.filename), Buffer.from(`"\r\nContent-Type: ${p.type ?? "application/octet-stream"}`));
    }
    chunks.push(...head, Buffer.from("\r\n\r\n"), Buffer.from(p.value), Buffer.from("\r\n"));
  }
  if (close) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

const BOUNDARY = "----portalfuzz7e3a";
const MULTIPART_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;
const URLENCODED_TYPE = "application/x-www-form-urlencoded";

function bodyOf(spec: Spec, c: Case): { body: Buffer | string; contentType: string | null } {
  if (c.raw) return c.raw;
  const parts = c.parts ?? spec.base;
  return spec.multipart
    ? { body: multipart(parts, BOUNDARY), contentType: MULTIPART_TYPE }
    : { body: urlencoded(parts), contentType: URLENCODED_TYPE };
}

const withBytes = (value: string | Buffer, bytes: number[]) => Buffer.concat([Buffer.from(value), Buffer.from(bytes)]);
const textOf = (p: Part) => (typeof p.value === "string" ? p.value : p.value.toString("utf8"));

// ---------------------------------------------------------------------------------------------
// Wrong values by kind

const NUMBER_BAD = ["abc", "-1", "1.5", "1e30", "99999999999999999999", "0x10", "Infinity", " "];
/** An id of a row: a well-formed id that matches nothing is honestly a 404. */
const REF_BAD = [...NUMBER_BAD, "0", "999999"];
const DATE_BAD = ["2026-13-45", "2026-02-30", "2026/11/01", "01-11-2026", "明天", "99999-01-01"];
const MONTH_BAD = ["2026-13", "2026-00", "2026-1x", "abcd-ef", "2026-13-45", "202611"];
const ENUM_BAD = ["bogus", "SAVE", "1", " "];
/** Versions: anything not a whole number is a 400; "0" is well-formed and only not current, a 409 too. */
const VERSION_BAD = ["abc", "-1", "1.5", "1e30", "99999999999999999999", " ", "0x10"];

const text = (name: string, required = true, bad: string[] = []): Field => ({ name, required, bad: required ? ["   ", ...bad] : bad });
const ref = (name: string, required = true, statuses = [400, 404]): Field => ({ name, required, bad: REF_BAD, badStatuses: statuses, absentStatuses: statuses });
const date = (name: string, extra: string[] = []): Field => ({ name, required: true, bad: [...DATE_BAD, ...extra] });
const month = (name: string): Field => ({ name, required: true, bad: MONTH_BAD });
const choice = (name: string): Field => ({ name, required: true, bad: ENUM_BAD });
const flag = (name: string): Field => ({ name, huge: false });
const version = (name = "version"): Field => ({ name, required: true, bad: VERSION_BAD, stale: ["0"] });

/** The base body with one field's value replaced. */
function variant(base: Part[], name: string, value: string | Buffer): Part[] {
  return base.map((p) => (p.name === name ? { ...p, value } : p));
}

/** The cases a spec's fields give, each applied to the base body. */
function fieldCases(spec: Spec): Case[] {
  const cases: Case[] = [];
  const at = (name: string) => spec.base.findIndex((p) => p.name === name);
  const replace = (name: string, value: string | Buffer) => variant(spec.base, name, value);
  cases.push({ name: "empty body", statuses: [400], parts: [] });

  for (const f of spec.fields) {
    const i = at(f.name);
    if (i === -1) throw new Error(`${spec.label}: field ${f.name} is not in the base body`);
    const original = spec.base[i];
    if (f.required) cases.push({ name: `${f.name} missing`, statuses: f.absentStatuses ?? [400], parts: spec.base.filter((p) => p.name !== f.name) });
    // Twice, with a second value that conflicts; for a checkbox group the second one is bad.
    const second: Part = f.file ? original : { ...original, value: f.repeatable ? "abc" : f.bad?.[0] ?? `${textOf(original)}-另一个值` };
    cases.push({ name: `${f.name} duplicated`, statuses: [400], parts: [...spec.base.slice(0, i + 1), second, ...spec.base.slice(i + 1)] });
    if (f.file) continue;
    for (const value of f.bad ?? []) {
      cases.push({ name: `${f.name}=${JSON.stringify(value)}`, statuses: f.badStatuses ?? [400], parts: replace(f.name, value) });
    }
    for (const value of f.stale ?? []) {
      cases.push({ name: `${f.name}=${JSON.stringify(value)}`, statuses: [400, 409], parts: replace(f.name, value) });
    }
    // Past a smaller cap the server refuses the body itself.
    const hugeStatuses = (spec.formCap ?? FORM_CAP) < HUGE.length ? [413] : (f.absentStatuses ?? [400]);
    if (f.huge !== false) cases.push({ name: `${f.name} 1 MB`, statuses: hugeStatuses, parts: replace(f.name, HUGE) });
    cases.push({ name: `${f.name} not UTF-8 (FF FE)`, statuses: [400], parts: replace(f.name, withBytes(original.value, [0xff, 0xfe])) });
    cases.push({ name: `${f.name} with NUL`, statuses: [400], parts: replace(f.name, withBytes(original.value, [0x00])) });
    cases.push({ name: `${f.name} with ESC and BEL`, statuses: [400], parts: replace(f.name, withBytes(original.value, [0x1b, 0x07])) });
  }
  if (spec.intent !== undefined) {
    const i = at("intent");
    cases.push({ name: "intent missing", statuses: [400], parts: spec.base.filter((p) => p.name !== "intent") });
    cases.push({ name: "intent duplicated", statuses: [400], parts: [...spec.base.slice(0, i + 1), { name: "intent", value: "bogus" }, ...spec.base.slice(i + 1)] });
    cases.push({ name: "intent duplicated, same value", statuses: [400], parts: [...spec.base.slice(0, i + 1), spec.base[i], ...spec.base.slice(i + 1)] });
    for (const value of ["bogus", `${spec.intent}_x`, spec.intent.toUpperCase(), ""]) {
      cases.push({ name: `intent=${JSON.stringify(value)}`, statuses: [400], parts: replace("intent", value) });
    }
  }
  return cases;
}

/** Content types, broken encodings and sizes: the same for every route. */
function bodyCases(spec: Spec): Case[] {
  const strings = spec.base.filter((p) => p.filename === undefined);
  const first = strings[0];
  const flat = Object.fromEntries(strings.map((p) => [p.name, textOf(p)]));
  const full = multipart(spec.base, BOUNDARY);
  // A multipart-only action (the import) refuses anything else as 415 before reading it.
  const formOnly = spec.multipart ? [400, 415] : [400];
  // The most of a form the server reads for this sender, and one byte past it.
  const cap = spec.formCap ?? FORM_CAP;
  const capName = limitText(cap);
  // Multipart is taken only by the pages that upload files: anywhere else the server refuses it
  // unread, whatever it holds.
  const mp = (statuses: number[]) => (spec.multipart ? statuses : [415]);
  const cases: Case[] = [
    { name: "application/json", statuses: [415], raw: { body: JSON.stringify(flat), contentType: "application/json" } },
    { name: "text/plain", statuses: [415], raw: { body: urlencoded(strings), contentType: "text/plain;charset=UTF-8" } },
    { name: "no content type", statuses: [415], raw: { body: Buffer.from(urlencoded(strings)), contentType: null } },
    { name: "application/xml", statuses: [415], raw: { body: "<form/>", contentType: "application/xml" } },
    { name: "multipart without boundary", statuses: mp([400]), raw: { body: full, contentType: "multipart/form-data" } },
    { name: "multipart with another boundary", statuses: mp([400]), raw: { body: full, contentType: "multipart/form-data; boundary=nope" } },
    { name: "multipart cut mid-part", statuses: mp([400]), raw: { body: full.subarray(0, Math.floor(full.length / 2)), contentType: MULTIPART_TYPE } },
    { name: "multipart cut in a part's headers", statuses: mp([400]), raw: { body: full.subarray(0, BOUNDARY.length + 20), contentType: MULTIPART_TYPE } },
    { name: "multipart boundary never closes", statuses: mp([400]), raw: { body: multipart(spec.base, BOUNDARY, false), contentType: MULTIPART_TYPE } },
    { name: "multipart empty", statuses: mp([400]), raw: { body: "", contentType: MULTIPART_TYPE } },
    {
      name: "multipart text part with raw FF bytes",
      statuses: mp([400]),
      raw: { body: multipart(spec.base.map((p) => (p === first ? { ...p, value: withBytes(p.value, [0xff, 0xfe, 0xfd]) } : p)), BOUNDARY), contentType: MULTIPART_TYPE },
    },
    {
      name: "multipart text part with a raw NUL byte",
      statuses: mp([400]),
      raw: { body: multipart(spec.base.map((p) => (p === first ? { ...p, value: withBytes(p.value, [0x00]) } : p)), BOUNDARY), contentType: MULTIPART_TYPE },
    },
    {
      name: "multipart field name not UTF-8",
      statuses: mp([400]),
      raw: {
        body: Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="`), Buffer.from([0xff, 0xfe]), Buffer.from('"\r\n\r\n1\r\n'), full]),
        contentType: MULTIPART_TYPE,
      },
    },
    { name: "urlencoded with raw FF bytes", statuses: formOnly, raw: { body: Buffer.concat([Buffer.from(`${urlencoded(strings)}&${first.name}=`), Buffer.from([0xff, 0xfe])]), contentType: URLENCODED_TYPE } },
    { name: "urlencoded with %FF%FE in a name", statuses: formOnly, raw: { body: `%FF%FE=1&${urlencoded(strings)}`, contentType: URLENCODED_TYPE } },
    { name: "urlencoded garbage", statuses: formOnly, raw: { body: "%%%&&==&%zz=%", contentType: URLENCODED_TYPE } },
    { name: `urlencoded ${capName} + 1`, statuses: [413], raw: { body: `a=${"x".repeat(cap - 1)}`, contentType: URLENCODED_TYPE } },
    { name: `urlencoded declaring ${capName} + 1`, statuses: [413], stream: { contentType: URLENCODED_TYPE, declared: cap + 1 } },
    { name: `urlencoded chunked past ${capName}`, statuses: [413], stream: { contentType: URLENCODED_TYPE, chunkedBytes: cap + 64 * 1024 } },
    { name: `json chunked past ${capName}`, statuses: [413], stream: { contentType: "application/json", chunkedBytes: cap + 64 * 1024 } },
    { name: "multipart declaring 80 MB + 1", statuses: mp([413]), stream: { contentType: MULTIPART_TYPE, declared: MULTIPART_CAP + 1 } },
  ];
  if (spec.multipart) {
    cases.push({ name: "multipart chunked past 80 MB", statuses: [413], stream: { contentType: MULTIPART_TYPE, chunkedBytes: MULTIPART_CAP + 64 * 1024 } });
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// HTTP

interface Answer {
  status: number;
  type: string;
  text: string;
  redirect: string | null;
  /** A single-fetch answer's action data (or the thrown refusal's), decoded. */
  data?: unknown;
}

/** Where the page's JavaScript posts the form: the page's single-fetch address. */
const dataUrlOf = (spec: Pick<Spec, "url">) => dataUrl(spec.url);

function headersFor(role: Role, contentType: string | null): Record<string, string> {
  const headers: Record<string, string> = { Origin: new URL(portal.url).origin };
  if (contentType !== null) headers["Content-Type"] = contentType;
  if (role) headers.Cookie = cookies.get(role)!;
  return headers;
}

/**
 * Posts a case as the page's JavaScript does (single fetch: `<page>.data`, a turbo-stream back,
 * decoded here), or as a browser without JavaScript would (the page).
 */
async function post(spec: Spec, c: Case, as: "data" | "document" = "data"): Promise<Answer> {
  const url = as === "data" ? dataUrlOf(spec) : spec.url;
  if (c.stream) return rawPost(url, headersFor(spec.role, c.stream.contentType), c.stream);
  const { body, contentType } = bodyOf(spec, c);
  const res = await fetch(`${portal.url}${url}`, {
    method: "POST",
    redirect: "manual",
    headers: headersFor(spec.role, contentType),
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
  const type = res.headers.get("content-type") ?? "";
  if (!type.includes(SINGLE_FETCH_TYPE)) return { status: res.status, type, text: await res.text(), redirect: null };
  const answer = await decodeSingleFetch(res, "POST");
  if (answer.kind === "redirect") return { status: res.status, type, text: JSON.stringify(answer), redirect: answer.redirect.redirect };
  if (answer.kind !== "action") throw new Error(`POST ${url}: not an action's answer: ${JSON.stringify(answer)}`);
  // A thrown refusal (404/403 page) carries the form failure as its data; a crash only a message.
  const data = answer.error ? (answer.error.data ?? { message: answer.error.message }) : answer.data;
  return { status: res.status, type, text: JSON.stringify(answer), redirect: null, data };
}

/** What single fetch answers with (a turbo-stream). */
const SINGLE_FETCH_TYPE = "text/x-script";

/**
 * A POST over a bare socket: either only headers declaring a length over the cap, or a chunked body
 * (no Content-Length) written until it is past the cap.
 */
function rawPost(pathAndQuery: string, headers: Record<string, string>, send: { declared?: number; chunkedBytes?: number }): Promise<Answer> {
  const { hostname, port } = new URL(portal.url);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request({
      hostname, port, path: pathAndQuery, method: "POST",
      headers: send.declared !== undefined ? { ...headers, "Content-Length": String(send.declared) } : headers,
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () => {
        answered = true;
        resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), text: Buffer.concat(chunks).toString("utf8"), redirect: null });
        req.destroy();
      });
    });
    req.on("error", (error) => {
      if (!answered) reject(new Error(`no answer to ${pathAndQuery}: ${error.message}`));
    });
    if (send.declared !== undefined) {
      req.flushHeaders();
      req.write("a=");
      return;
    }
    // The body never ends: the server must answer as soon as the cap is passed, not wait for the
    // rest of a body that may never come.
    const chunk = Buffer.alloc(64 * 1024, "x");
    let sent = 0;
    const pump = () => {
      while (!answered && sent < (send.chunkedBytes ?? 0)) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) {
        setTimeout(() => {
          if (answered) return;
          req.destroy();
          reject(new Error(`no answer to ${pathAndQuery} within 20 s of an unfinished body past the cap`));
        }, 20_000);
      }
    };
    pump();
  });
}

const login = (username: string) => signInOverHttp(portal.url, username);

type Refusal = { formError?: unknown; message?: unknown; fieldErrors?: Record<string, unknown> };

/** The messages of a refusal's data: the form's, the thrown one's, then each field's. */
function messagesOf(a: Answer): unknown[] | null {
  if (!a.type.includes(SINGLE_FETCH_TYPE) || typeof a.data !== "object" || a.data === null) return null;
  const data = a.data as Refusal;
  return [data.formError, data.message, ...Object.values(data.fieldErrors ?? {})];
}

/** The message a data refusal gives: the form's, the thrown one's, or the first field's. */
function messageOf(a: Answer): string | null {
  const found = messagesOf(a)?.find((m) => typeof m === "string" && m !== "");
  return typeof found === "string" ? found : null;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");

/** Cases also posted as a document: the page (or error page) must show the same refusal. */
const DOCUMENT_SAMPLE = /^(empty body|intent missing|intent="bogus"|.+ 1 MB|.+ not UTF-8 \(FF FE\)|application\/json|multipart cut mid-part|version stale)$/;

function hasChineseMessage(a: Answer): boolean {
  if (a.type.includes(SINGLE_FETCH_TYPE)) return (messagesOf(a) ?? []).some((s) => typeof s === "string" && HAN.test(s));
  // The server's own pages (413, unparsable body): the message is the page's text.
  return HAN.test(a.text.replace(/<[^>]*>/g, ""));
}

// ---------------------------------------------------------------------------------------------
// What is stored

function all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return new Promise((resolve, reject) => db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows as T[]))));
}

async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
  const [row] = await all<T>(sql, params);
  if (!row) throw new Error(`no row: ${sql} ${JSON.stringify(params)}`);
  return row;
}

/** A table's rows in a stable order: by rowid, or, for a table WITHOUT ROWID, by every column. */
async function tableDigest(table: string, createSql: string | null): Promise<string> {
  const withoutRowid = /without\s+rowid/i.test(createSql ?? "");
  const columns = withoutRowid ? (await all<{ cid: number }>(`pragma table_info("${table}")`)).map((c) => c.cid + 1) : [];
  const query = withoutRowid ? `select * from "${table}" order by ${columns.join(", ")}` : `select rowid, * from "${table}" order by rowid`;
  // A read the server's writer gets in the way of (SQLITE_BUSY while it checkpoints) is read again;
  // a row error must never be taken for a row, or a failed read looks like a change.
  for (let attempt = 1; ; attempt++) {
    try {
      return await new Promise<string>((resolve, reject) => {
        const hash = createHash("sha256");
        let failed: Error | null = null;
        let rows = 0;
        db.each(
          query,
          (error, row) => {
            if (error) failed ??= error;
            else (rows++, hash.update(JSON.stringify(row)));
          },
          (error) => (error || failed ? reject(error ?? failed) : resolve(`${rows} rows, ${hash.digest("hex").slice(0, 16)}`)),
        );
      });
    } catch (error) {
      if (attempt >= 5 || !/SQLITE_BUSY|SQLITE_LOCKED/.test(String(error))) throw new Error(`reading ${table}: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

function filesUnder(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path.join(dir, entry.name), rel));
    else if (!/^portal\.sqlite/.test(entry.name)) out.push(`${rel} (${statSync(path.join(dir, entry.name)).size} B)`);
  }
  return out;
}

async function snapshot(): Promise<Map<string, string>> {
  const state = new Map<string, string>();
  const tables = await all<{ name: string; sql: string | null }>(
    "select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
  );
  // A full-text index (a virtual table) is read through itself, by rowid; its shadow tables
  // (<name>_data, <name>_idx … some without a rowid) are its storage, not separate data.
  const virtual = tables.filter((t) => /^create virtual table/i.test(t.sql ?? "")).map((t) => t.name);
  const shadow = (name: string) => virtual.some((v) => name.startsWith(`${v}_`));
  for (const { name, sql } of tables) if (!EXEMPT_TABLES.has(name) && !shadow(name)) state.set(`table ${name}`, await tableDigest(name, sql));
  state.set("files", filesUnder(portal.dataDir).sort().join(", "));
  return state;
}

function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).map((k) => {
    if (k !== "files") return `${k}: ${before.get(k)} → ${after.get(k)}`;
    const was = new Set((before.get(k) ?? "").split(", "));
    const now = new Set((after.get(k) ?? "").split(", "));
    return `files: added [${[...now].filter((f) => !was.has(f)).join(", ")}], removed [${[...was].filter((f) => !now.has(f)).join(", ")}]`;
  });
}

/** Route modules with an action that reads no input, and why the table does not post to them. */
const NOT_FUZZED: Record<string, string> = {
  $: "the catch-all: any POST to an address no page has is the Chinese 404 page, whatever its body",
};

/** Intents of a fuzzed route that no spec sends, and why. */
const INTENTS_NOT_FUZZED: Record<string, string> = {};

/** The intents a route module's action handles: read from its source, plus the 简报 editor's shared handler. */
function handledIntents(route: string): Set<string> {
  const file = readdirSync(path.resolve("app/routes")).find((f) => f.replace(/\.tsx?$/, "") === route);
  if (!file) return new Set();
  const found = intentsIn(file);
  const src = readFileSync(path.resolve("app/routes", file), "utf8");
  if (/intents: BULLETIN_EDIT_INTENTS/.test(src)) BULLETIN_EDIT_INTENTS.forEach((i) => found.add(i));
  for (const m of src.matchAll(/bulletinAction\([^)]*intents: \[([^\]]*)\]/g)) for (const i of m[1].matchAll(/"([a-z_]+)"/g)) found.add(i[1]);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Running a spec

let casesRun = 0;
/** The route modules whose action has been fuzzed: a spec's label starts with its file name. */
const fuzzedRoutes = new Set<string>();
/** "route intent" for each spec sent (the intent of its base body; "" when it sends none). */
const fuzzedIntents = new Set<string>();

/** Sends every case of a spec, then its valid body; returns what went wrong. */
async function fuzz(spec: Spec): Promise<string[]> {
  const problems: string[] = [];
  fuzzedRoutes.add(spec.label.split(" ")[0]);
  fuzzedIntents.add(`${spec.label.split(" ")[0]} ${textOf(spec.base.find((p) => p.name === "intent") ?? { name: "intent", value: "" })}`);
  const cases = [...fieldCases(spec), ...(spec.extra ?? []), ...(spec.bodyCases ? bodyCases(spec) : [])];
  const before = await snapshot();
  for (const c of cases) {
    casesRun++;
    if (process.env.FUZZ_TRACE) process.stderr.write(`${spec.label} · ${c.name}\n`);
    let answer: Answer;
    try {
      answer = await post(spec, c);
    } catch (error) {
      problems.push(`${spec.label} · ${c.name}: ${(error as Error).message}`);
      continue;
    }
    const cap = c.stream && answer.status === 413 ? `上限 ${c.stream.contentType.startsWith("multipart/") ? "80 MB" : limitText(spec.formCap ?? FORM_CAP)}` : null;
    const wrong = !c.statuses.includes(answer.status)
      ? `status ${answer.status} (expected ${c.statuses.join(" or ")})`
      : !hasChineseMessage(answer) ? "no Chinese message"
      : cap && !answer.text.includes(cap) ? `the 413 does not name the cap (${cap})` : null;
    if (wrong) problems.push(`${spec.label} · ${c.name}: ${wrong}${answer.redirect ? ` → ${answer.redirect}` : ""} · ${answer.text.slice(0, 200)}`);
    if (wrong || !DOCUMENT_SAMPLE.test(c.name)) continue;
    // The same body from a browser without JavaScript: the same status, and the page shows the message.
    casesRun++;
    const page = await post(spec, c, "document");
    const message = messageOf(answer);
    const shown = message === null ? HAN.test(page.text) : page.text.includes(escapeHtml(message));
    if (page.status !== answer.status || !shown) {
      const main = /<main[^>]*>([\s\S]*?)<\/main>/.exec(page.text)?.[1].replace(/<[^>]*>/g, " ").replace(/\s+/g, " ") ?? page.text;
      problems.push(`${spec.label} · ${c.name} (page): status ${page.status} (data: ${answer.status}), ${shown ? "" : `message “${message}” not shown: `}${main.slice(0, 200)}`);
    }
  }
  for (const change of changes(before, await snapshot())) problems.push(`${spec.label}: written by bad input: ${change}`);

  // The valid body itself: proves the refusals above came from what each case broke.
  const control = await post(spec, { name: "valid body", statuses: [] });
  if (process.env.FUZZ_TRACE) process.stderr.write(`${spec.label} · CONTROL ${control.status} ${control.redirect} ${control.text.slice(0, 200)}\n`);
  const controlOk = spec.control === "redirect" ? control.status === SINGLE_FETCH_REDIRECT_STATUS && control.redirect !== null : spec.control.includes(control.status);
  if (!controlOk) problems.push(`${spec.label} · valid body: status ${control.status}, expected ${JSON.stringify(spec.control)} · ${control.text.slice(0, 200)}`);
  return problems;
}

async function fuzzAll(specs: Array<() => Promise<Spec> | Spec>): Promise<void> {
  const problems: string[] = [];
  // Each base is built only when its turn comes: an earlier spec's valid body may have moved a row on.
  for (const make of specs) problems.push(...(await fuzz(await make())));
  expect(problems, problems.join("\n")).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Dates and rows the bases need

const shanghaiToday = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
function monthAfter(monthText: string, n: number): string {
  const [y, m] = monthText.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

const png = (background = "#c00") => sharp({ create: { width: 80, height: 60, channels: 3, background } }).png().toBuffer();

async function itemParts(extra: Part[] = []): Promise<Part[]> {
  const category = await one<{ id: number }>("select id from categories where active = 1 order by id limit 1").catch(() => one<{ id: number }>("select id from categories order by id limit 1"));
  const channel = await one<{ id: number }>("select id from channels where active = 1 order by sort_order limit 1");
  const author = await one<{ id: number }>("select id from accounts where username = 'x01-c1'");
  return [
    { name: "title", value: "县城关镇中心学校开展秋季消防演练" },
    { name: "body", value: "11 月 20 日上午，学校组织全体师生开展秋季消防疏散演练。\n演练结束后，校长对本次演练进行了总结。" },
    { name: "category_id", value: String(category.id) },
    { name: "channel_id", value: String(channel.id) },
    { name: "event_date", value: shanghaiToday() },
    { name: "bylines", value: String(author.id) },
    ...extra,
  ];
}

const ITEM_FIELDS: Field[] = [
  text("title"),
  text("body"),
  ref("category_id", true, [400, 404]),
  ref("channel_id", true, [400, 404]),
  date("event_date", ["2000-01-01", "2099-01-01"]),
  { name: "bylines", bad: REF_BAD, badStatuses: [400, 404], repeatable: true },
];

const photoCases = async (spec: () => Part[]): Promise<Case[]> => {
  const base = spec().filter((p) => p.name !== "photo_1");
  const withPhoto = (p: Part) => [...base, p];
  return [
    { name: "photo that is not an image", statuses: [400, 415], parts: withPhoto({ name: "photo_1", value: Buffer.from("这不是图片"), filename: "fake.png", type: "image/png" }) },
    { name: "photo as a GIF", statuses: [400, 415], parts: withPhoto({ name: "photo_1", value: await sharp({ create: { width: 8, height: 8, channels: 3, background: "#fc0" } }).gif().toBuffer(), filename: "a.gif", type: "image/gif" }) },
    { name: "photo over 8 MB", statuses: [413], parts: withPhoto({ name: "photo_1", value: Buffer.concat([await png(), Buffer.alloc(8 * 1024 * 1024 + 1)]), filename: "big.png", type: "image/png" }) },
    { name: "photo file name not UTF-8", statuses: [400], parts: withPhoto({ name: "photo_1", value: await png(), filename: Buffer.from([0x70, 0xff, 0xfe, 0x2e, 0x70, 0x6e, 0x67]), type: "image/png" }) },
    { name: "photo file name with NUL", statuses: [400], parts: withPhoto({ name: "photo_1", value: await png(), filename: Buffer.from("a\u0000.png"), type: "image/png" }) },
  ];
};

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  portal = await startPortal({ AUTO_REMINDERS: "0" });
  db = new sqlite3.Database(path.join(portal.dataDir, "portal.sqlite"), sqlite3.OPEN_READONLY);
  db.configure("busyTimeout", 5000);
  for (const username of ["admin", "reviewer", "x01-lead", "x01-c1", "x01-c2"] as const) cookies.set(username, await login(username));
});

afterAll(async () => {
  await new Promise<void>((resolve) => (db ? db.close(() => resolve()) : resolve()));
  const output = portal?.output() ?? "";
  await portal?.stop();
  // A 500 is logged by the server: none may have happened.
  expect(output).not.toMatch(/Error|服务器内部错误/);
});

describe("bad input to every action: a 400/404/409/413/415 in Chinese, and nothing written", () => {
  it("login", async () => {
    await fuzzAll([
      () => ({
        label: "login", url: "/login", role: null, bodyCases: true, formCap: BODY_LIMITS.signIn,
        base: [{ name: "username", value: "reviewer" }, { name: "password", value: DEMO_PASSWORD }, { name: "redirectTo", value: "/review" }],
        fields: [text("username", true, ["a".repeat(65)]), { name: "password", required: true, bad: ["p".repeat(201)] }, text("redirectTo", false)],
        control: "redirect",
      }),
    ]);
  });

  it("account.password", async () => {
    await fuzzAll([
      () => ({
        label: "account.password", url: "/account/password", role: "x01-c2", bodyCases: true,
        base: [
          { name: "current_password", value: DEMO_PASSWORD },
          { name: "new_password", value: "Fuzz#2026ok" },
          { name: "confirm_password", value: "Fuzz#2026ok" },
        ],
        fields: [
          { name: "current_password", required: true },
          { name: "new_password", required: true, bad: ["short1!", "abcdefghijkl", DEMO_PASSWORD, "x01-c2-Pass#1"] },
          { name: "confirm_password", required: true, bad: ["Different#2026"] },
        ],
        control: "redirect",
      }),
    ]);
  });

  it("admin.accounts.new", async () => {
    const unit = await one<{ id: number }>("select id from units where code = 'X01'");
    await fuzzAll([
      () => ({
        label: "admin.accounts.new", url: "/admin/accounts/new", role: "admin", bodyCases: true,
        base: [
          { name: "username", value: "fuzz-user" },
          { name: "display_name", value: "模糊测试" },
          { name: "phone", value: "13800000000" },
          { name: "role", value: "correspondent" },
          { name: "unit_id", value: String(unit.id) },
          { name: "password", value: "Fuzz#2026ok" },
        ],
        fields: [
          { name: "username", required: true, bad: ["ab", "has space", "名字", "u".repeat(33), "x01-c1"], badStatuses: [400, 409] },
          text("display_name", true, ["名".repeat(51)]),
          { name: "phone", bad: ["12345", "abcdefghijk", "1380000000x", "23800000000"] },
          choice("role"),
          ref("unit_id", true, [400, 404]),
          { name: "password", required: true, bad: ["short", "abcdefghijkl", "fuzz-user#2026"] },
        ],
        control: "redirect",
      }),
    ]);
  });

  it("admin.accounts.$id", async () => {
    const target = await one<{ id: number; display_name: string; phone: string; unit_id: number }>(
      "select id, display_name, phone, unit_id from accounts where username = 'x02-c1'",
    );
    const at = { url: `/admin/accounts/${target.id}`, role: "admin" as const };
    await fuzzAll([
      () => ({
        ...at, label: "admin.accounts.$id save", intent: "save", bodyCases: true,
        base: [
          { name: "intent", value: "save" },
          { name: "display_name", value: target.display_name },
          { name: "phone", value: target.phone },
          { name: "role", value: "correspondent" },
          { name: "unit_id", value: String(target.unit_id) },
        ],
        fields: [text("display_name"), { name: "phone", bad: ["12345", "abcdefghijk"] }, choice("role"), ref("unit_id", true, [400, 404])],
        control: "redirect",
      }),
      () => ({
        ...at, label: "admin.accounts.$id reset_password", intent: "reset_password",
        base: [{ name: "intent", value: "reset_password" }, { name: "password", value: "Fuzz#2026reset" }],
        fields: [{ name: "password", required: true, bad: ["short", "abcdefghijkl", "x02-c1-Pass#1"] }],
        control: "redirect",
      }),
      () => ({ ...at, label: "admin.accounts.$id deactivate", intent: "deactivate", base: [{ name: "intent", value: "deactivate" }], fields: [], control: "redirect" }),
      () => ({ ...at, label: "admin.accounts.$id reactivate", intent: "reactivate", base: [{ name: "intent", value: "reactivate" }], fields: [], control: "redirect" }),
    ]);
  });

  it("admin.units.new", async () => {
    await fuzzAll([
      () => ({
        label: "admin.units.new", url: "/admin/units/new", role: "admin", bodyCases: true,
        base: [
          { name: "code", value: "FZ-01" },
          { name: "name", value: "模糊测试学校" },
          { name: "township", value: "城关镇" },
          { name: "kind", value: "township_central" },
          { name: "signoff_required", value: "1" },
        ],
        fields: [
          { name: "code", required: true, bad: ["带中文", "A B", "X".repeat(21), "X01"], badStatuses: [400, 409] },
          text("name", true, ["名".repeat(101)]),
          text("township", false, ["镇".repeat(51)]),
          { name: "kind", required: true, bad: ENUM_BAD },
          flag("signoff_required"),
        ],
        control: "redirect",
      }),
    ]);
  });

  it("admin.units.$id", async () => {
    const unit = await one<{ id: number; code: string; name: string; township: string; kind_code: string }>(
      "select id, code, name, township, kind_code from units where code = 'Y11'",
    );
    const at = { url: `/admin/units/${unit.id}`, role: "admin" as const };
    await fuzzAll([
      () => ({
        ...at, label: "admin.units.$id save", intent: "save", bodyCases: true,
        base: [
          { name: "intent", value: "save" },
          { name: "code", value: unit.code },
          { name: "name", value: unit.name },
          { name: "township", value: unit.township },
          { name: "kind", value: unit.kind_code },
          { name: "signoff_required", value: "1" },
        ],
        fields: [
          { name: "code", required: true, bad: ["带中文", "A B", "X".repeat(21), "X01"], badStatuses: [400, 409] },
          text("name"), text("township", false), { name: "kind", required: true, bad: ENUM_BAD }, flag("signoff_required"),
        ],
        control: "redirect",
      }),
      () => ({ ...at, label: "admin.units.$id deactivate", intent: "deactivate", base: [{ name: "intent", value: "deactivate" }], fields: [], control: "redirect" }),
      () => ({ ...at, label: "admin.units.$id reactivate", intent: "reactivate", base: [{ name: "intent", value: "reactivate" }], fields: [], control: "redirect" }),
    ]);
  });

  it("admin.import", async () => {
    const csv = (rows: string[]) => Buffer.from(["单位代码,单位名称,所属乡镇,单位类别", ...rows].join("\r\n"), "utf8");
    const good = csv(["FZ-IMP,模糊导入学校,城关镇,乡镇中心校"]);
    const file = (value: Buffer, filename: string | Buffer = "units.csv", type = "text/csv"): Part => ({ name: "file", value, filename, type });
    const kind: Part = { name: "kind", value: "units" };
    await fuzzAll([
      () => ({
        label: "admin.import", url: "/admin/import", role: "admin", multipart: true, bodyCases: true,
        base: [kind, file(good)],
        fields: [choice("kind"), { name: "file", required: true, file: true }],
        extra: [
          { name: "file empty", statuses: [400], parts: [kind, file(Buffer.alloc(0))] },
          { name: "file as a text field", statuses: [400], parts: [kind, { name: "file", value: good.toString("utf8") }] },
          { name: "file is binary", statuses: [400], parts: [kind, file(Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 0, 9]))] },
          { name: "file in GBK, not UTF-8", statuses: [400], parts: [kind, file(Buffer.concat([Buffer.from("code,name\r\nFZ-G,"), Buffer.from([0xc4, 0xa3, 0xba, 0xfd])]))] },
          { name: "file with NUL bytes", statuses: [400], parts: [kind, file(csv(["FZ-N,模糊\u0000学校,城关镇,乡镇中心校"]))] },
          { name: "file with bad rows", statuses: [400], parts: [kind, file(csv(["带 空格,,城关镇,不存在的类别", "X01,重复代码,城关镇,乡镇中心校"]))] },
          { name: "file with an unclosed quote", statuses: [400], parts: [kind, file(csv(['FZ-Q,"模糊导入学校,城关镇,乡镇中心校']))] },
          { name: "file that starts like an xlsx", statuses: [400], parts: [kind, file(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(2000, 7)]), "units.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")] },
          { name: "file that is an old .xls", statuses: [400], parts: [kind, file(Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(2000)]), "units.xls", "application/vnd.ms-excel")] },
          { name: "file over 5001 rows", statuses: [400], parts: [kind, file(csv(Array.from({ length: 5001 }, (_, i) => `FZ-R${i},学校${i},城关镇,乡镇中心校`)))] },
          { name: "file over 5 MB", statuses: [413], parts: [kind, file(Buffer.concat([good, Buffer.alloc(5 * 1024 * 1024, 0x20)]))] },
          { name: "file name not UTF-8", statuses: [400], parts: [kind, file(good, Buffer.from([0x75, 0xff, 0xfe, 0x2e, 0x63, 0x73, 0x76]))] },
          { name: "file name with NUL", statuses: [400], parts: [kind, file(good, "u\u0000.csv")] },
          { name: "accounts file given as units", statuses: [400], parts: [kind, file(Buffer.from("用户名,姓名,手机号,角色,单位代码,初始密码\r\nfz-imp,模糊,,信息员,X01,Fuzz#2026ok\r\n"))] },
        ],
        control: "redirect",
      }),
    ]);
  });

  it("admin.rules", async () => {
    // Every points field the form sends (the 约稿 ones too), valued as the first rule version stores them.
    const rules = parsePointsRules((await one<{ rules_json: string }>("select rules_json from points_rule_versions order by id limit 1")).rules_json);
    const points: Array<[string, number, boolean]> = POINTS_FIELDS.map((f) => [f.name, f.get(rules), f.penalty]);
    const pointParts: Part[] = points.map(([name, value]) => ({ name, value: String(value) }));
    const pointFields: Field[] = points.map(([name, , penalty]) => ({
      name, required: true, bad: penalty ? ["abc", "1e30", "-1.555", "1", "-101", "Infinity", "--1"] : ["abc", "1e30", "1.555", "-1", "101", "Infinity", "0x10"],
    }));
    const kinds = await all<{ code: string }>("select code from unit_kinds order by sort_order");
    const quotaParts: Part[] = kinds.map((k) => ({ name: `quota_${k.code}`, value: "6" }));
    const quotaFields: Field[] = kinds.map((k) => ({ name: `quota_${k.code}`, required: true, bad: ["abc", "-1", "1.5", "1e30", "1000", "99999999999999999999"] }));
    const next = monthAfter(shanghaiToday().slice(0, 7), 1);
    const unit = await one<{ id: number }>("select id from units where code = 'X02'");
    const at = { url: "/admin/rules", role: "admin" as const };
    const note: Field = text("note", false, ["说".repeat(201)]);
    const quotaField: Field = { name: "quota", required: true, bad: ["abc", "-1", "1.5", "1e30", "1000"] };
    const reason: Field = text("reason", true, ["理".repeat(501)]);
    // Creating a rule version (points or quotas) for next month, then changing the newest one.
    const versionCases = (kind: "points" | "quota", parts: Part[], fields: Field[], bodyCases: boolean) => [
      () => ({
        ...at, label: `admin.rules create_${kind}`, intent: `create_${kind}`, bodyCases,
        base: [{ name: "intent", value: `create_${kind}` }, { name: "effective_month", value: next }, { name: "note", value: "模糊测试" }, ...parts],
        fields: [month("effective_month"), note, ...fields],
        control: [SINGLE_FETCH_REDIRECT_STATUS, 409],
      }),
      async () => {
        const v = await one<{ id: number }>(`select id from ${kind}_rule_versions order by id desc limit 1`);
        return {
          ...at, label: `admin.rules update_${kind}`, intent: `update_${kind}`,
          base: [{ name: "intent", value: `update_${kind}` }, { name: "version_id", value: String(v.id) }, { name: "note", value: "模糊测试修改" }, ...parts],
          fields: [ref("version_id"), note, ...fields],
          control: [SINGLE_FETCH_REDIRECT_STATUS, 409],
        };
      },
    ];
    await fuzzAll([
      ...versionCases("points", pointParts, pointFields, true),
      ...versionCases("quota", quotaParts, quotaFields, false),
      () => ({
        ...at, label: "admin.rules set_override", intent: "set_override",
        base: [
          { name: "intent", value: "set_override" }, { name: "unit_id", value: String(unit.id) }, { name: "effective_month", value: next },
          { name: "quota", value: "3" }, { name: "reason", value: "学校合并，暂减任务" },
        ],
        fields: [ref("unit_id"), month("effective_month"), quotaField, reason],
        control: [SINGLE_FETCH_REDIRECT_STATUS, 409],
      }),
      async () => {
        const o = await one<{ id: number }>("select id from unit_quota_overrides order by id desc limit 1");
        return {
          ...at, label: "admin.rules update_override", intent: "update_override",
          base: [{ name: "intent", value: "update_override" }, { name: "override_id", value: String(o.id) }, { name: "quota", value: "4" }, { name: "reason", value: "调整" }],
          fields: [ref("override_id"), quotaField, reason],
          control: [SINGLE_FETCH_REDIRECT_STATUS, 409],
        };
      },
    ]);
  });

  it("admin.words", async () => {
    const at = { url: "/admin/words", role: "admin" as const };
    const level: Field = choice("level");
    const note: Field = text("note", false, ["说".repeat(201)]);
    await fuzzAll([
      () => ({
        ...at, label: "admin.words add", intent: "add", bodyCases: true,
        base: [{ name: "intent", value: "add" }, { name: "word", value: "模糊测试词" }, { name: "level", value: "warn" }, { name: "note", value: "测试" }],
        fields: [{ name: "word", required: true, bad: ["   ", "词".repeat(100), "绝密"], badStatuses: [400, 409] }, level, note],
        control: "redirect",
      }),
      async () => {
        const w = await one<{ id: number }>("select id from sensitive_words order by id limit 1");
        return {
          ...at, label: "admin.words update", intent: "update",
          base: [{ name: "intent", value: "update" }, { name: "id", value: String(w.id) }, { name: "level", value: "warn" }, { name: "note", value: "改为提示" }],
          fields: [ref("id"), level, note],
          control: "redirect",
        };
      },
      async () => {
        const w = await one<{ id: number }>("select id from sensitive_words order by id desc limit 1");
        return {
          ...at, label: "admin.words delete", intent: "delete",
          base: [{ name: "intent", value: "delete" }, { name: "id", value: String(w.id) }],
          fields: [ref("id")],
          control: "redirect",
        };
      },
      () => ({
        ...at, label: "admin.words bulk", intent: "bulk",
        base: [{ name: "intent", value: "bulk" }, { name: "words", value: "模糊一\n模糊二" }, { name: "level", value: "warn" }, { name: "note", value: "批量" }],
        fields: [{ name: "words", required: true, bad: ["", "\n\n", "词".repeat(100)] }, level, note],
        control: "redirect",
      }),
    ]);
  });

  it("admin.settings", async () => {
    const at = { url: "/admin/settings", role: "admin" as const };
    const next = monthAfter(shanghaiToday().slice(0, 7), 1);
    const kind = choice("kind");
    const name = text("name", true, ["栏".repeat(21), "<b>栏目</b>", "党建工作", " 党建工作 "]);
    const category = (sql: string) => one<{ id: number }>(`select id from categories ${sql}`);
    const row = (intent: string, pick: () => Promise<{ id: number }>) => async () => ({
      ...at, label: `admin.settings ${intent}`, intent,
      base: [{ name: "intent", value: intent }, { name: "kind", value: "category" }, { name: "id", value: String((await pick()).id) }],
      fields: [kind, ref("id")],
      control: "redirect" as const,
    });
    await fuzzAll([
      () => ({
        ...at, label: "admin.settings save_settings (monthly)", intent: "save_settings", bodyCases: true,
        base: [
          { name: "intent", value: "save_settings" }, { name: "commendTopN", value: "4" }, { name: "criticiseBelowCompletion", value: "45" },
          { name: "criticiseMinLate", value: "3" }, { name: "effective_month", value: next },
        ],
        // A section sends only its own settings, so any one of them may be absent.
        fields: [
          { name: "commendTopN", bad: ["abc", "-1", "1.5", "51", "1e30", "0x10", " "] },
          { name: "criticiseBelowCompletion", bad: ["150", "abc", "-5", "50.5", "%"] },
          { name: "criticiseMinLate", bad: ["0", "101", "三"] },
          month("effective_month"),
        ],
        extra: [
          { name: "effective month in a closed month", statuses: [400], parts: [{ name: "intent", value: "save_settings" }, { name: "commendTopN", value: "4" }, { name: "effective_month", value: "2000-01" }] },
          { name: "no setting at all", statuses: [400], parts: [{ name: "intent", value: "save_settings" }, { name: "effective_month", value: next }] },
        ],
        control: "redirect",
      }),
      () => ({
        ...at, label: "admin.settings save_settings (names and routines)", intent: "save_settings",
        base: [
          { name: "intent", value: "save_settings" }, { name: "countyName", value: "模糊县" }, { name: "noticeDocPrefix", value: "模教体办" },
          // The register deadline takes effect from a month (a past year's register keeps its own).
          { name: "registerDeadline", value: "04-11" }, { name: "autoReminders", value: "1" }, { name: "effective_month", value: next },
        ],
        fields: [
          text("countyName", false, ["县".repeat(21), "<县>"]),
          { name: "noticeDocPrefix", bad: ["   ", "办".repeat(13), "a<b"] },
          { name: "registerDeadline", bad: ["02-30", "4-10", "13-01", "00-10", "abc", "04-10-01"] },
          { name: "autoReminders", bad: ["bogus", "2", "yes"], huge: false },
        ],
        control: "redirect",
      }),
      () => ({
        ...at, label: "admin.settings withdraw_setting", intent: "withdraw_setting",
        base: [
          { name: "intent", value: "withdraw_setting" }, { name: "key", value: "commendTopN" }, { name: "effective_month", value: next },
          { name: "shown", value: "4" },
        ],
        fields: [
          // Only a setting with versions by month has one to withdraw.
          { name: "key", required: true, bad: ["countyName", "bogus", "__proto__", "COMMENDTOPN", " "] },
          month("effective_month"),
          { name: "shown", required: true, bad: ["abc", "-1", "51", "1.5", " "] },
        ],
        extra: [
          {
            name: "a version already in force", statuses: [409],
            parts: [{ name: "intent", value: "withdraw_setting" }, { name: "key", value: "commendTopN" }, { name: "effective_month", value: "2000-01" }, { name: "shown", value: "3" }],
          },
        ],
        control: "redirect",
      }),
      () => ({
        ...at, label: "admin.settings catalog_add", intent: "catalog_add", bodyCases: false,
        base: [{ name: "intent", value: "catalog_add" }, { name: "kind", value: "category" }, { name: "name", value: "模糊栏目" }],
        fields: [kind, name],
        control: "redirect",
      }),
      async () => ({
        ...at, label: "admin.settings catalog_rename", intent: "catalog_rename",
        base: [
          { name: "intent", value: "catalog_rename" }, { name: "kind", value: "category" },
          { name: "id", value: String((await category("where name = '模糊栏目'")).id) }, { name: "name", value: "模糊栏目改" },
        ],
        fields: [kind, ref("id"), name],
        control: "redirect",
      }),
      row("catalog_up", () => category("where name = '模糊栏目改'")),
      row("catalog_down", () => category("where name = '模糊栏目改'")),
      row("catalog_deactivate", () => category("where name = '模糊栏目改'")),
      row("catalog_reactivate", () => category("where name = '模糊栏目改'")),
      row("catalog_delete", () => category("where name = '模糊栏目改'")),
      async () => ({
        ...at, label: "admin.settings catalog_delete (used)", intent: "catalog_delete",
        base: [{ name: "intent", value: "catalog_delete" }, { name: "kind", value: "category" }, { name: "id", value: String((await category("order by id limit 1")).id) }],
        fields: [kind],
        // Items use it: the refusal names how many.
        control: [409],
      }),
    ]);
  });

  it("items.new", async () => {
    const photo = await png();
    const base = await itemParts([
      { name: "confidential_checked", value: "1" },
      { name: "intent", value: "save" },
      { name: "form_token", value: "fuzz-token-0123456789abcdef" },
      { name: "caption_1", value: "演练现场" },
      { name: "photo_1", value: photo, filename: "drill.png", type: "image/png" },
    ]);
    const extra = await photoCases(() => base);
    await fuzzAll([
      () => ({
        label: "items.new", url: "/items/new", role: "x01-c1", multipart: true, intent: "save", bodyCases: true,
        base,
        fields: [
          ...ITEM_FIELDS, flag("confidential_checked"), { name: "form_token", bad: ["short", "含中文的令牌0123456789abcdef", "t".repeat(65)] },
          text("caption_1", false, ["说".repeat(61)]), { name: "photo_1", file: true },
        ],
        extra,
        control: "redirect",
      }),
    ]);
  });

  it("items.$id_.edit", async () => {
    // The draft the items.new control just saved, with its photo.
    const item = await one<{ id: number; version: number }>(
      "select i.id, i.version from items i join accounts a on a.id = i.created_by where a.username = 'x01-c1' and i.status = 'draft' order by i.id desc limit 1",
    );
    const saved = await one<{ id: number }>("select id from photos where item_id = ? order by id limit 1", [item.id]);
    const base = await itemParts([
      { name: "version", value: String(item.version) },
      { name: "intent", value: "save" },
      { name: `photo_caption_${saved.id}`, value: "演练现场（修改）" },
      { name: "remove_photo", value: String(saved.id) },
      { name: "caption_1", value: "第二张" },
      { name: "photo_1", value: await png("#0c0"), filename: "second.png", type: "image/png" },
    ]);
    const extra = await photoCases(() => base);
    await fuzzAll([
      () => ({
        label: "items.$id_.edit", url: `/items/${item.id}/edit`, role: "x01-c1", multipart: true, intent: "save", bodyCases: true,
        base,
        fields: [
          ...ITEM_FIELDS,
          version(),
          text(`photo_caption_${saved.id}`, false, ["说".repeat(61)]),
          // Removing a photo that is not (or no longer) on the item removes nothing by design, like
          // any delete; only ids that are not ids are refused.
          { name: "remove_photo", bad: REF_BAD.filter((v) => v !== "999999"), repeatable: true },
          text("caption_1", false, ["说".repeat(61)]),
          { name: "photo_1", file: true },
        ],
        extra: [...extra, { name: "version stale", statuses: [409], parts: base.map((p) => (p.name === "version" ? { ...p, value: String(item.version + 50) } : p)) }],
        control: "redirect",
      }),
    ]);
  });

  it("items.$id", async () => {
    // A draft of x01-c1's own and two items waiting for x01-lead's sign-off, made here through the form.
    const create = async (intent: "save" | "submit") => {
      const res = await fetch(`${portal.url}${dataUrl("/items/new")}`, {
        method: "POST", redirect: "manual", headers: headersFor("x01-c1", MULTIPART_TYPE),
        body: new Uint8Array(multipart(await itemParts([{ name: "intent", value: intent }, { name: "confidential_checked", value: "1" }]), BOUNDARY)),
      });
      const answer = await decodeSingleFetch(res.clone(), "POST");
      const to = answer.kind === "redirect" ? answer.redirect.redirect : "";
      expect(res.status, await res.text()).toBe(SINGLE_FETCH_REDIRECT_STATUS);
      return one<{ id: number; version: number; status: string }>("select id, version, status from items where id = ?", [Number(/^\/items\/(\d+)$/.exec(to)?.[1])]);
    };
    const draft = await create("save");
    const waiting = [await create("submit"), await create("submit")];
    expect([draft.status, ...waiting.map((w) => w.status)]).toEqual(["draft", "pending_school", "pending_school"]);
    const mine = { url: `/items/${draft.id}`, role: "x01-c1" as const };
    const stale = (base: Part[]): Case => ({
      name: "version stale", statuses: [409], parts: base.map((p) => (p.name === "version" ? { ...p, value: String(Number(p.value) + 50) } : p)),
    });
    const reason: Field = text("reason", true, ["理".repeat(501)]);
    const current = async (id: number) => (await one<{ version: number }>("select version from items where id = ?", [id])).version;
    const spec = (s: Omit<Spec, "extra">): Spec => ({ ...s, extra: [stale(s.base)] });
    await fuzzAll([
      () => spec({
        ...mine, label: "items.$id submit", intent: "submit", bodyCases: true,
        base: [{ name: "intent", value: "submit" }, { name: "version", value: String(draft.version) }, { name: "confidential_checked", value: "1" }],
        fields: [version(), flag("confidential_checked")],
        control: "redirect",
      }),
      // After the submit above the item is no longer a draft: the valid delete is refused by the rule.
      async () => spec({
        ...mine, label: "items.$id delete", intent: "delete",
        base: [{ name: "intent", value: "delete" }, { name: "version", value: String(await current(draft.id)) }],
        fields: [version()],
        control: [409],
      }),
      () => {
        const w = waiting[0];
        return {
          url: `/items/${w.id}`, role: "x01-lead", label: "items.$id send_back", intent: "send_back",
          base: [{ name: "intent", value: "send_back" }, { name: "version", value: String(w.version) }, { name: "reason", value: "请补充活动照片" }],
          fields: [version(), reason], extra: [stale([{ name: "intent", value: "send_back" }, { name: "version", value: String(w.version) }, { name: "reason", value: "请补充" }])],
          control: "redirect",
        };
      },
      () => {
        const w = waiting[1];
        return {
          url: `/items/${w.id}`, role: "x01-lead", label: "items.$id sign_off", intent: "sign_off",
          base: [{ name: "intent", value: "sign_off" }, { name: "version", value: String(w.version) }],
          fields: [version()], extra: [stale([{ name: "intent", value: "sign_off" }, { name: "version", value: String(w.version) }])],
          control: "redirect",
        };
      },
    ]);
  });

  it("review.$id", async () => {
    const submitted = await all<{ id: number; version: number }>("select id, version from items where status = 'submitted' order by id desc limit 3");
    const adopted = await one<{ id: number }>("select id from items where status = 'adopted' order by id desc limit 1");
    const versionOf = async (id: number) => (await one<{ version: number }>("select version from items where id = ?", [id])).version;
    const at = (id: number) => ({ url: `/review/${id}`, role: "reviewer" as const });
    const today = shanghaiToday();
    const decision = (label: string, id: number, v: number, intent: string, more: Part[], fields: Field[]): Spec => ({
      ...at(id), label: `review.$id ${label}`, intent,
      base: [{ name: "intent", value: intent }, { name: "version", value: String(v) }, ...more],
      fields: [version(), ...fields],
      extra: [{ name: "version stale", statuses: [409], parts: [{ name: "intent", value: intent }, { name: "version", value: String(v + 50) }, ...more] }],
      control: "redirect",
    });
    const reason = (label: string): Field => text("reason", true, [label.repeat(501)]);
    await fuzzAll([
      () => ({ ...decision("adopt", submitted[0].id, submitted[0].version, "adopt", [{ name: "grade", value: "good" }], [choice("grade")]), bodyCases: true }),
      () => decision("return", submitted[1].id, submitted[1].version, "return", [{ name: "reason", value: "请补充细节" }], [reason("退")]),
      () => decision("reject", submitted[2].id, submitted[2].version, "reject", [{ name: "reason", value: "内容重复" }], [reason("否")]),
      () => ({
        ...at(adopted.id), label: "review.$id pickup", intent: "pickup",
        base: [
          { name: "intent", value: "pickup" }, { name: "outlet", value: "县融媒体中心" }, { name: "tier", value: "county" },
          { name: "picked_on", value: today }, { name: "url", value: "https://example.com/news/1" },
        ],
        fields: [
          text("outlet", true, ["媒".repeat(101)]), choice("tier"), date("picked_on", ["2099-01-01"]),
          { name: "url", bad: ["javascript:alert(1)", "ftp://example.com/a", "example.com", `https://example.com/${"a".repeat(500)}`] },
        ],
        control: "redirect",
      }),
      () => ({
        ...at(adopted.id), label: "review.$id instruction", intent: "instruction",
        base: [
          { name: "intent", value: "instruction" }, { name: "level", value: "county" }, { name: "leader", value: "王县长" },
          { name: "content", value: "经验做法值得推广" }, { name: "instructed_on", value: today },
        ],
        fields: [choice("level"), text("leader", true, ["领".repeat(51)]), text("content", false, ["批".repeat(1001)]), date("instructed_on", ["2099-01-01"])],
        control: "redirect",
      }),
      async () => decision("withdraw", adopted.id, await versionOf(adopted.id), "withdraw", [{ name: "reason", value: "发现事实错误" }, { name: "revoke_points", value: "1" }], [reason("撤"), flag("revoke_points")]),
    ]);
  });

  it("notices._index", async () => {
    const closed = await one<{ month: string }>("select month from month_closes where reopened_at is null order by month desc limit 1");
    await fuzzAll([
      () => ({
        label: "notices._index draft", url: "/notices?index", role: "reviewer", intent: "draft", bodyCases: true,
        base: [{ name: "intent", value: "draft" }, { name: "month", value: closed.month }],
        fields: [month("month")],
        // That month's notice exists already: the valid body is refused by the rule, not the form.
        control: [409],
      }),
    ]);
  });

  // The seeded notices are all signed and frozen: a valid edit is refused by the rule (409), so
  // every 400 below is the form's, and a row that does not exist may meet the frozen notice first.
  const noticeSpecs = (label: string, url: string, bodyCasesToo: boolean): Array<() => Spec> => {
    const at = { url, role: "reviewer" as const };
    return [
      () => ({
        ...at, label: `${label} save`, intent: "save", bodyCases: bodyCasesToo,
        base: [
          { name: "intent", value: "save" }, { name: "addressee", value: "各中小学、幼儿园" }, { name: "doc_number", value: "" },
          { name: "opening_text", value: "现将本月信息报送情况通报如下。" }, { name: "closing_text", value: "望各单位再接再厉。" },
        ],
        fields: [text("addressee"), text("doc_number", false), text("opening_text"), text("closing_text", false)],
        control: [409],
      }),
      () => ({
        ...at, label: `${label} adjust`, intent: "adjust",
        base: [
          { name: "intent", value: "adjust" }, { name: "list", value: "commended" }, { name: "action", value: "add" },
          { name: "unit_id", value: "1" }, { name: "reason", value: "补录" },
        ],
        fields: [choice("list"), choice("action"), ref("unit_id", true, [400, 404, 409]), text("reason")],
        control: [409],
      }),
      () => ({
        ...at, label: `${label} publish`, intent: "publish",
        base: [{ name: "intent", value: "publish" }, { name: "signer_name", value: "李局长" }],
        fields: [text("signer_name")],
        control: [409],
      }),
    ];
  };

  it("notices.$id", async () => {
    const notice = await one<{ id: number }>("select id from notices where kind = 'monthly' order by period desc limit 1");
    await fuzzAll(noticeSpecs("notices.$id", `/notices/${notice.id}`, true));
  });

  it("summary.$year", async () => {
    const annual = await one<{ period: string }>("select period from notices where kind = 'annual' order by period desc limit 1");
    const url = `/summary/${annual.period}`;
    await fuzzAll([
      () => ({
        label: "summary.$year draft", url, role: "reviewer", bodyCases: true,
        base: [{ name: "intent", value: "draft" }], fields: [],
        // intent=draft is checked first; anything else goes on to the existing summary's edit.
        control: [409],
      }),
      ...noticeSpecs("summary.$year", url, false),
    ]);
  });

  it("notifications", async () => {
    const note = await one<{ id: number }>(
      "select n.id from notifications n join accounts a on a.id = n.account_id where a.username = 'x01-c1' and n.read_at is null order by n.id limit 1",
    );
    const at = { url: "/notifications", role: "x01-c1" as const };
    await fuzzAll([
      () => ({
        ...at, label: "notifications read", intent: "read", bodyCases: true,
        base: [{ name: "intent", value: "read" }, { name: "id", value: String(note.id) }, { name: "go", value: "0" }],
        fields: [ref("id"), flag("go")],
        control: "redirect",
      }),
      () => ({ ...at, label: "notifications read_all", intent: "read_all", base: [{ name: "intent", value: "read_all" }], fields: [], control: "redirect" }),
    ]);
  });

  it("register.$year", async () => {
    const person = await one<{ id: number; phone: string; registered_on: string }>("select id, phone, registered_on from accounts where username = 'x01-c1'");
    await fuzzAll([
      () => ({
        label: "register.$year", url: `/register/${shanghaiToday().slice(0, 4)}`, role: "x01-lead", bodyCases: true,
        base: [{ name: "account_id", value: String(person.id) }, { name: "phone", value: "13912345678" }, { name: "registered_on", value: person.registered_on }],
        fields: [ref("account_id"), { name: "phone", bad: ["12345", "abcdefghijk", "1391234567８"] }, date("registered_on", ["1999-12-31", "2099-01-01"])],
        control: "redirect",
      }),
    ]);
  });

  it("reminders", async () => {
    const unit = await one<{ id: number }>("select id from units where code = 'X03'");
    await fuzzAll([
      () => ({
        label: "reminders", url: "/reminders", role: "reviewer", bodyCases: true,
        base: [{ name: "unit_id", value: String(unit.id) }, { name: "reason", value: "本月尚未报送" }, { name: "redirect_to", value: "/reminders" }],
        fields: [ref("unit_id"), text("reason", false, ["催".repeat(501)]), text("redirect_to", false)],
        control: "redirect",
      }),
    ]);
  });

  it("logout: it reads no fields, so a bad body is ignored, never a 500, and ends only the caller's session", async () => {
    // Logout takes no input: whatever the body, it ends the caller's own session (an exempt table)
    // and records the sign-out; only a body over the server's caps, or a multipart one, is refused before it.
    const problems: string[] = [];
    const spec: Spec = { label: "logout", url: "/logout", role: "x01-c1", base: [{ name: "x", value: "1" }], fields: [], control: [SINGLE_FETCH_REDIRECT_STATUS] };
    fuzzedRoutes.add("logout");
    for (const c of bodyCases(spec)) {
      cookies.set("x01-c1", await login("x01-c1"));
      const before = await snapshot();
      casesRun++;
      const a = await post(spec, c);
      // Refused by the server before logout runs: too large, or multipart (logout takes no files).
      const refused = c.statuses.includes(413) || c.name.startsWith("multipart");
      const ok = refused ? c.statuses.includes(a.status) && hasChineseMessage(a) : a.status === SINGLE_FETCH_REDIRECT_STATUS && a.redirect === "/login";
      if (!ok) problems.push(`logout · ${c.name}: status ${a.status} → ${a.redirect} · ${a.text.slice(0, 200)}`);
      const written = changes(before, await snapshot()).filter((change) => !(change.startsWith("table audit_events") && !refused));
      for (const w of written) problems.push(`logout · ${c.name}: ${w}`);
    }
    cookies.set("x01-c1", await login("x01-c1"));
    expect(problems, problems.join("\n")).toEqual([]);
  });

  it("months._index", async () => {
    const closed = await one<{ month: string }>("select month from month_closes where reopened_at is null order by month desc limit 1");
    const open = monthAfter(closed.month, 1);
    const at = { url: "/months?index", role: "reviewer" as const };
    await fuzzAll([
      () => ({
        ...at, label: "months._index close", intent: "close", bodyCases: true,
        base: [{ name: "intent", value: "close" }, { name: "month", value: open }],
        fields: [month("month")],
        extra: [{ name: "month in the future", statuses: [400, 409], parts: [{ name: "intent", value: "close" }, { name: "month", value: "2099-01" }] }],
        // The demo county still has items waiting in that month: the rule refuses to close it.
        control: [SINGLE_FETCH_REDIRECT_STATUS, 409],
      }),
      () => ({
        ...at, label: "months._index reopen", intent: "reopen",
        base: [{ name: "intent", value: "reopen" }, { name: "month", value: closed.month }, { name: "reason", value: "核对数据" }],
        fields: [month("month"), text("reason", true, ["理".repeat(201)])],
        extra: [{ name: "month never closed", statuses: [400, 409], parts: [{ name: "intent", value: "reopen" }, { name: "month", value: "2099-01" }, { name: "reason", value: "核对" }] }],
        control: "redirect",
      }),
    ]);
  });

  it("themes", async () => {
    const thisMonth = shanghaiToday().slice(0, 7);
    const category = await one<{ id: number }>("select id from categories where active = 1 order by id limit 1");
    const closed = await one<{ month: string }>("select month from month_closes where reopened_at is null order by month desc limit 1");
    const at = { url: "/themes", role: "reviewer" as const };
    const themeParts = (title: string): Part[] => [
      { name: "title", value: title }, { name: "guidance", value: "请报送各校开学第一课的做法" },
      { name: "category_id", value: String(category.id) }, { name: "sort_order", value: "3" },
    ];
    const themeFields: Field[] = [
      text("title", true, ["要".repeat(THEME_LIMITS.titleMax + 1)]),
      text("guidance", false, ["说".repeat(THEME_LIMITS.guidanceMax + 1)]),
      // Blank is "不限栏目"; anything else must name an active category.
      { name: "category_id", bad: REF_BAD.filter((v) => v.trim() !== ""), badStatuses: [400, 404] },
      { name: "sort_order", bad: ["abc", "-1", "1.5", "100", "1e30", "1e1", "0x10", "Infinity", "+5", "５"] },
    ];
    const theme = () => one<{ id: number; version: number }>("select id, version from themes where title like '模糊测试要点%' order by id desc limit 1");
    await fuzzAll([
      () => ({
        ...at, label: "themes create", intent: "create", bodyCases: true,
        base: [{ name: "intent", value: "create" }, { name: "month", value: thisMonth }, ...themeParts("模糊测试要点")],
        fields: [month("month"), ...themeFields],
        extra: [
          { name: "month already closed", statuses: [400, 409], parts: [{ name: "intent", value: "create" }, { name: "month", value: closed.month }, ...themeParts("模糊测试要点")] },
        ],
        control: "redirect",
      }),
      async () => {
        const t = await theme();
        const base: Part[] = [{ name: "intent", value: "update" }, { name: "id", value: String(t.id) }, { name: "version", value: String(t.version) }, ...themeParts("模糊测试要点（改）")];
        return {
          ...at, label: "themes update", intent: "update",
          base,
          fields: [ref("id"), version(), ...themeFields],
          extra: [{ name: "version stale", statuses: [409], parts: variant(base, "version", String(t.version + 50)) }],
          control: "redirect",
        };
      },
      async () => ({
        ...at, label: "themes delete", intent: "delete",
        base: [{ name: "intent", value: "delete" }, { name: "id", value: String((await theme()).id) }],
        fields: [ref("id")],
        control: "redirect",
      }),
    ]);
  });

  it("requests.new", async () => {
    const unit = await one<{ id: number }>("select id from units where code = 'X01'");
    const due = new Date(Date.now() + 7 * 86_400_000);
    const dueDate = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(due);
    await fuzzAll([
      () => ({
        label: "requests.new", url: "/requests/new", role: "reviewer", bodyCases: true,
        base: [
          { name: "topic", value: "模糊测试约稿：冬季安全教育" }, { name: "guidance", value: "请写清时间、地点和参与人数。" },
          { name: "due_date", value: dueDate }, { name: "due_time", value: "17:00" }, { name: "unit_ids", value: String(unit.id) },
          { name: "form_token", value: "fuzz-request-token-0123456789ab" },
        ],
        fields: [
          text("topic", true, ["约".repeat(TOPIC_MAX + 1)]),
          text("guidance", false, ["说".repeat(GUIDANCE_MAX + 1)]),
          date("due_date", ["2000-01-01", shanghaiToday().replace(/^\d{4}/, (y) => String(Number(y) - 1))]),
          { name: "due_time", bad: ["25:00", "17:61", "5pm", "17:00:00", "-1:00", "１７:００"] },
          { name: "unit_ids", required: true, bad: REF_BAD, badStatuses: [400, 404], repeatable: true },
          { name: "form_token", bad: ["short", "含中文的令牌0123456789abcdef", "t".repeat(65)] },
        ],
        extra: [
          { name: "kinds=bogus", statuses: [400], parts: [{ name: "topic", value: "模糊" }, { name: "due_date", value: dueDate }, { name: "kinds", value: "bogus" }] },
          { name: "kinds duplicated with a bogus one", statuses: [400], parts: [{ name: "topic", value: "模糊" }, { name: "due_date", value: dueDate }, { name: "kinds", value: "bogus" }, { name: "kinds", value: "" }] },
          { name: "kinds 1 MB", statuses: [400], parts: [{ name: "topic", value: "模糊" }, { name: "due_date", value: dueDate }, { name: "kinds", value: HUGE }] },
        ],
        control: "redirect",
      }),
    ]);
  });

  it("requests.$id", async () => {
    // The 约稿 the requests.new control just sent to X01.
    const request = await one<{ id: number }>("select id from requests where topic = '模糊测试约稿：冬季安全教育' order by id desc limit 1");
    const url = `/requests/${request.id}`;
    await fuzzAll([
      () => ({
        url, role: "x01-c1", label: "requests.$id decline", intent: "decline", bodyCases: true,
        base: [{ name: "intent", value: "decline" }, { name: "reason", value: "本月学校没有相关活动，无法供稿。" }],
        fields: [text("reason", true, ["短", "婉".repeat(DECLINE_MAX + 1)])],
        control: "redirect",
      }),
      () => ({
        url, role: "reviewer", label: "requests.$id cancel", intent: "cancel",
        base: [{ name: "intent", value: "cancel" }, { name: "reason", value: "主题与本月报送要点重复，改为要点报送。" }],
        fields: [text("reason", true, ["取".repeat(CANCEL_MAX + 1)])],
        control: "redirect",
      }),
    ]);
  });

  it("bulletins.new", async () => {
    await fuzzAll([
      () => ({
        label: "bulletins.new", url: "/bulletins/new", role: "reviewer", intent: "create", bodyCases: true,
        base: [{ name: "intent", value: "create" }], fields: [],
        control: "redirect",
      }),
    ]);
  });

  it("bulletins.$id_.edit and bulletins.$id_.publish", async () => {
    // The draft the bulletins.new control just started, and two adopted items it does not hold yet.
    const draft = await one<{ id: number }>("select id from bulletins where status = 'draft' order by id desc limit 1");
    const [a, b] = await all<{ id: number }>(
      "select id from items where status = 'adopted' and id not in (select item_id from bulletin_items) order by id desc limit 2",
    );
    const notAdopted = await one<{ id: number }>("select id from items where status = 'submitted' order by id limit 1");
    const current = async () => one<{
      version: number; year: number; number: number; name: string; editor_note: string; editor_unit: string; issue_date: string;
      report_to: string; send_to: string; issue_to: string;
    }>("select * from bulletins where id = ?", [draft.id]);
    const url = `/bulletins/${draft.id}/edit`;
    // The editor's one form carries every item's text: read up to 3 MB.
    const at = { url, role: "reviewer" as const, formCap: BODY_LIMITS.bulletin };
    const staleOf = (base: Part[]): Case => ({ name: "version stale", statuses: [409], parts: variant(base, "version", String(Number(base.find((p) => p.name === "version")!.value) + 50)) });
    // An item the draft does not hold (999999 too) is a 409 for moving and removing: the page was out of date.
    const itemIntent = async (intent: string, item: number): Promise<Spec> => {
      const base: Part[] = [{ name: "intent", value: intent }, { name: "item_id", value: String(item) }, { name: "version", value: String((await current()).version) }];
      const held = intent === "add" ? [400, 404] : [400, 404, 409];
      return { ...at, label: `bulletins.$id_.edit ${intent}`, intent, base, fields: [ref("item_id", true, held), version()], extra: [staleOf(base)], control: "redirect" };
    };
    await fuzzAll([
      async () => {
        const spec = await itemIntent("add", a.id);
        spec.bodyCases = true;
        spec.extra!.push({ name: "item not adopted", statuses: [400, 409], parts: variant(spec.base, "item_id", String(notAdopted.id)) });
        return spec;
      },
      async () => {
        // The second item, added over HTTP as the page would, so that moving has somewhere to go.
        const v = (await current()).version;
        const added = await post({ ...at, label: "add", base: [], fields: [], control: "redirect" }, {
          name: "add", statuses: [], parts: [{ name: "intent", value: "add" }, { name: "item_id", value: String(b.id) }, { name: "version", value: String(v) }],
        });
        expect(added.status, added.text).toBe(SINGLE_FETCH_REDIRECT_STATUS);
        const c = await current();
        const base: Part[] = [
          { name: "intent", value: "save" }, { name: "version", value: String(c.version) }, { name: "number", value: String(c.number) },
          { name: "name", value: c.name }, { name: "editor_note", value: "本期刊登学校冬季安全教育做法。" }, { name: "editor_unit", value: c.editor_unit },
          { name: "issue_date", value: c.issue_date }, { name: "report_to", value: "县委宣传部" }, { name: "send_to", value: c.send_to }, { name: "issue_to", value: c.issue_to },
          { name: `title_${a.id}`, value: "某校开展冬季安全教育" }, { name: `body_${a.id}`, value: "12 月初，学校组织开展冬季安全教育。" },
        ];
        const taken = await all<{ number: number }>("select number from bulletins where status = 'published' and year = ? order by number limit 1", [c.year]);
        return {
          ...at, label: "bulletins.$id_.edit save", intent: "save",
          base,
          fields: [
            version(),
            { name: "number", required: true, bad: ["abc", "0", "-1", "1.5", String(BULLETIN_LIMITS.number + 1), "1e3", " ", "０１"] },
            text("name", true, ["简".repeat(BULLETIN_LIMITS.name + 1)]),
            text("editor_note", false, ["按".repeat(BULLETIN_LIMITS.editorNote + 1)]),
            text("editor_unit", true, ["编".repeat(BULLETIN_LIMITS.editorUnit + 1)]),
            date("issue_date"),
            text("report_to", false, ["报".repeat(BULLETIN_LIMITS.distribution + 1)]),
            text("send_to", false, ["送".repeat(BULLETIN_LIMITS.distribution + 1)]),
            text("issue_to", false, ["发".repeat(BULLETIN_LIMITS.distribution + 1)]),
            // The texts of an item are sent only for the items on the page: a missing title keeps the item's text.
            { name: `title_${a.id}`, bad: ["   ", "题".repeat(BULLETIN_LIMITS.title + 1)] },
            text(`body_${a.id}`, true, ["文".repeat(BULLETIN_LIMITS.body + 1)]),
          ],
          extra: [
            staleOf(base),
            { name: "text of an item not in the bulletin", statuses: [400, 409], parts: [...base, { name: "title_999999", value: "不在本期" }, { name: "body_999999", value: "不在本期的稿件" }] },
            ...taken.map((t) => ({ name: "number already published", statuses: [400, 409], parts: variant(base, "number", String(t.number)) })),
          ],
          control: "redirect",
        };
      },
      () => itemIntent("down", a.id),
      () => itemIntent("up", a.id),
      () => itemIntent("remove", b.id),
      async () => {
        const base: Part[] = [{ name: "intent", value: "publish" }, { name: "version", value: String((await current()).version) }];
        return {
          url: `/bulletins/${draft.id}/publish`, role: "reviewer", label: "bulletins.$id_.publish", intent: "publish", bodyCases: true,
          base, fields: [version()], extra: [staleOf(base)],
          control: "redirect",
        };
      },
    ]);
  });

  it("review._index (bulk decisions)", async () => {
    const waiting = await all<{ id: number; version: number }>("select id, version from items where status = 'submitted' order by id limit 2");
    const at = { url: "/review?index", role: "reviewer" as const };
    // A pick is "id:version"; a well-formed pick of an item someone else decided is reported item by
    // item on the page (see the review route test), so only malformed picks are sent here.
    const ids = (): Field => ({ name: "ids", required: true, bad: ["abc", "1", "1:x", "0:1", ":1", "1:1:1", "-1:1", "1234567890:1"], repeatable: true });
    await fuzzAll([
      () => ({
        ...at, label: "review._index bulk_adopt", intent: "bulk_adopt", bodyCases: true,
        base: [{ name: "intent", value: "bulk_adopt" }, { name: "grade", value: "good" }, { name: "ids", value: `${waiting[0].id}:${waiting[0].version}` }],
        fields: [choice("grade"), ids()],
        extra: [{ name: "ids over the cap", statuses: [400], parts: [{ name: "intent", value: "bulk_adopt" }, { name: "grade", value: "good" }, ...Array.from({ length: 101 }, (_, i) => ({ name: "ids", value: `${i + 1}:1` }))] }],
        control: "redirect",
      }),
      () => ({
        ...at, label: "review._index bulk_return", intent: "bulk_return",
        base: [{ name: "intent", value: "bulk_return" }, { name: "reason", value: "请补充活动照片" }, { name: "ids", value: `${waiting[1].id}:${waiting[1].version}` }],
        fields: [text("reason", true, ["退".repeat(REVIEW_REASON_MAX + 1)]), ids()],
        control: "redirect",
      }),
    ]);
  });

  it("months.$month_.close", async () => {
    const closed = await one<{ month: string }>("select month from month_closes where reopened_at is null order by month desc limit 1");
    await fuzzAll([
      () => ({
        label: "months.$month_.close", url: `/months/${closed.month}/close`, role: "reviewer", intent: "close", bodyCases: true,
        base: [{ name: "intent", value: "close" }], fields: [],
        // The month is closed already: the valid body is refused by the rule.
        control: [409],
      }),
    ]);
  });

  it("notices.$id_.publish", async () => {
    const notice = await one<{ id: number }>("select id from notices where kind = 'monthly' order by period desc limit 1");
    await fuzzAll([
      () => ({
        label: "notices.$id_.publish", url: `/notices/${notice.id}/publish`, role: "reviewer", intent: "publish", bodyCases: true,
        base: [{ name: "intent", value: "publish" }, { name: "signer_name", value: "李局长" }],
        fields: [text("signer_name", true, ["签".repeat(51)])],
        // Signed and frozen: the valid body is refused by the rule.
        control: [409],
      }),
    ]);
  });

  it("items: submitting from the new and edit forms, recall and appeal", async () => {
    const draft = await one<{ id: number; version: number }>(
      "select i.id, i.version from items i join accounts a on a.id = i.created_by where a.username = 'x01-c1' and i.status = 'draft' order by i.id desc limit 1",
    );
    const submitFields: Field[] = [...ITEM_FIELDS, flag("confidential_checked")];
    const stale = (base: Part[]): Case => ({ name: "version stale", statuses: [409], parts: variant(base, "version", String(Number(base.find((p) => p.name === "version")!.value) + 50)) });
    const mine = async () => one<{ id: number; version: number }>(
      "select i.id, i.version from items i join accounts a on a.id = i.created_by where a.username = 'x01-c1' and i.status in ('pending_school', 'submitted') order by i.id desc limit 1",
    );
    // An adopted X01 item with no appeal yet: x01-lead appeals its grade, the reviewer answers.
    const appealable = await one<{ id: number }>(
      `select i.id from items i join units u on u.id = i.unit_id where u.code = 'X01' and i.status = 'adopted'
        and not exists (select 1 from appeals a where a.item_id = i.id) order by i.id desc limit 1`,
    );
    await fuzzAll([
      async () => ({
        label: "items.new submit", url: "/items/new", role: "x01-c1", multipart: true, intent: "submit",
        base: await itemParts([{ name: "confidential_checked", value: "1" }, { name: "intent", value: "submit" }, { name: "form_token", value: "fuzz-token-submit-0123456789ab" }]),
        // Without 涉密自查 ticked the submission is refused before anything is written, the box marked.
        fields: [...ITEM_FIELDS, { name: "confidential_checked", required: true, huge: false }, { name: "form_token", bad: ["short", "t".repeat(65)] }],
        control: "redirect",
      }),
      async () => {
        const base = await itemParts([{ name: "version", value: String(draft.version) }, { name: "intent", value: "submit" }, { name: "confidential_checked", value: "1" }]);
        return {
          label: "items.$id_.edit submit", url: `/items/${draft.id}/edit`, role: "x01-c1", multipart: true, intent: "submit",
          base, fields: [...submitFields, version()], extra: [stale(base)],
          control: "redirect",
        };
      },
      async () => {
        const item = await mine();
        const base: Part[] = [{ name: "intent", value: "recall" }, { name: "version", value: String(item.version) }];
        return { label: "items.$id recall", url: `/items/${item.id}`, role: "x01-c1", intent: "recall", base, fields: [version()], extra: [stale(base)], control: "redirect" };
      },
      () => ({
        label: "items.$id appeal", url: `/items/${appealable.id}`, role: "x01-lead", intent: "appeal",
        base: [{ name: "intent", value: "appeal" }, { name: "subject", value: "grade" }, { name: "reason", value: "稿件被市级媒体转载，等次偏低，请复核。" }],
        fields: [choice("subject"), text("reason", true, ["申".repeat(REVIEW_REASON_MAX + 1)])],
        extra: [{ name: "subject that does not apply to the item", statuses: [400, 409], parts: [{ name: "intent", value: "appeal" }, { name: "subject", value: "rejected" }, { name: "reason", value: "请复核" }] }],
        control: "redirect",
      }),
    ]);
  });

  it("review.$id corrections", async () => {
    const appeal = await one<{ id: number; item_id: number }>("select id, item_id from appeals where status = 'open' order by id desc limit 1");
    const regradable = await one<{ id: number; version: number }>("select id, version from items where status = 'adopted' and grade <> 'excellent' order by id desc limit 1");
    const late = await one<{ id: number; version: number }>("select id, version from items where status = 'adopted' and late = 1 order by id desc limit 1");
    const pickup = await one<{ id: number; item_id: number }>("select p.id, p.item_id from pickups p join items i on i.id = p.item_id where i.status = 'adopted' order by p.id desc limit 1");
    const instruction = await one<{ id: number; item_id: number }>(
      "select n.id, n.item_id from instructions n join items i on i.id = n.item_id where i.status = 'adopted' order by n.id desc limit 1",
    );
    const reason = (label: string): Field => text("reason", true, [label.repeat(REVIEW_REASON_MAX + 1)]);
    const appealId: Field = { name: "appeal_id", bad: REF_BAD.filter((v) => v.trim() !== ""), badStatuses: [400, 404, 409] };
    const stale = (base: Part[]): Case => ({ name: "version stale", statuses: [409], parts: variant(base, "version", String(Number(base.find((p) => p.name === "version")!.value) + 50)) });
    const at = (id: number) => ({ url: `/review/${id}`, role: "reviewer" as const });
    await fuzzAll([
      () => ({
        ...at(appeal.item_id), label: "review.$id answer_appeal", intent: "answer_appeal", bodyCases: true,
        base: [{ name: "intent", value: "answer_appeal" }, { name: "appeal_id", value: String(appeal.id) }, { name: "outcome", value: "upheld" }, { name: "answer", value: "经复核，维持原等次。" }],
        fields: [ref("appeal_id", true, [400, 404, 409]), choice("outcome"), text("answer", true, ["答".repeat(REVIEW_REASON_MAX + 1)])],
        control: "redirect",
      }),
      () => {
        const base: Part[] = [{ name: "intent", value: "regrade" }, { name: "version", value: String(regradable.version) }, { name: "grade", value: "excellent" }, { name: "reason", value: "复核后更正等次" }, { name: "appeal_id", value: "" }];
        return { ...at(regradable.id), label: "review.$id regrade", intent: "regrade", base, fields: [version(), choice("grade"), reason("更"), appealId], extra: [stale(base)], control: "redirect" };
      },
      () => {
        const base: Part[] = [{ name: "intent", value: "clear_late" }, { name: "version", value: String(late.version) }, { name: "reason", value: "因停电延误，情况属实" }, { name: "appeal_id", value: "" }];
        return { ...at(late.id), label: "review.$id clear_late", intent: "clear_late", base, fields: [version(), reason("迟"), appealId], extra: [stale(base)], control: "redirect" };
      },
      () => ({
        ...at(pickup.item_id), label: "review.$id remove_pickup", intent: "remove_pickup",
        base: [{ name: "intent", value: "remove_pickup" }, { name: "record_id", value: String(pickup.id) }, { name: "reason", value: "登记有误" }, { name: "appeal_id", value: "" }],
        fields: [ref("record_id", true, [400, 404, 409]), reason("删"), appealId],
        control: "redirect",
      }),
      () => ({
        ...at(instruction.item_id), label: "review.$id remove_instruction", intent: "remove_instruction",
        base: [{ name: "intent", value: "remove_instruction" }, { name: "record_id", value: String(instruction.id) }, { name: "reason", value: "登记有误" }, { name: "appeal_id", value: "" }],
        fields: [ref("record_id", true, [400, 404, 409]), reason("删"), appealId],
        control: "redirect",
      }),
    ]);
  });

  it("covered every action route with a few thousand cases", async () => {
    if (process.env.FUZZ_TRACE) process.stderr.write(`cases sent: ${casesRun}\n`);
    expect(casesRun).toBeGreaterThan(2500);
  });

  it("fuzzed the action of every route module (a new page with a form gets its spec here)", () => {
    const dir = path.resolve("app/routes");
    const withAction = readdirSync(dir)
      .filter((f) => /\.tsx?$/.test(f) && /export\s+(async\s+)?(function|const)\s+action\b/.test(readFileSync(path.join(dir, f), "utf8")))
      .map((f) => f.replace(/\.tsx?$/, ""));
    const notFuzzed = withAction.filter((r) => !fuzzedRoutes.has(r) && !(r in NOT_FUZZED));
    expect(notFuzzed, "route modules with an action but no spec in this file's table").toEqual([]);
    // A label that names no route module (a typo, a renamed page) would hide a missing spec.
    expect([...fuzzedRoutes].filter((r) => !withAction.includes(r)), "spec labels that name no route module with an action").toEqual([]);
    expect(Object.keys(NOT_FUZZED).filter((r) => !withAction.includes(r)), "exemptions for a route module without an action").toEqual([]);
  });

  it("fuzzed every intent each of those actions handles", () => {
    const untried: string[] = [];
    for (const route of fuzzedRoutes) {
      for (const intent of handledIntents(route)) {
        const key = `${route} ${intent}`;
        if (!fuzzedIntents.has(key) && !(key in INTENTS_NOT_FUZZED)) untried.push(key);
      }
    }
    expect(untried, "intents an action handles that no spec sends").toEqual([]);
    expect(Object.keys(INTENTS_NOT_FUZZED).filter((k) => !handledIntents(k.split(" ")[0]).has(k.split(" ")[1])), "exemptions for an intent no action handles").toEqual([]);
  });
});
