// Issue "Safe on a real network": each attack that worked against the portal, replayed against
// the production build over HTTP, with the outcome that now holds. Client addresses are told to
// the portal the way a reverse proxy on this machine tells them (X-Forwarded-For from loopback),
// so each attack has its own address; no traffic leaves the loopback interface.
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { networkInterfaces } from "node:os";
import path from "node:path";
import sqlite3 from "sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOGIN_LIMITS } from "~/domain/login-throttle";
import { dataUrl, loaderDataOf } from "../support/single-fetch";
import { WORD_SPLITTERS, type WordSplitter } from "../support/hostile-inputs";
import { DEMO_PASSWORD, startPortal, type Portal } from "./support/portal";

let portal: Portal;
let db: sqlite3.Database;

beforeAll(async () => {
  portal = await startPortal({ AUTO_REMINDERS: "0" });
  db = new sqlite3.Database(path.join(portal.dataDir, "portal.sqlite"), sqlite3.OPEN_READONLY);
});
afterAll(async () => {
  await new Promise<void>((resolve) => db?.close(() => resolve()));
  await portal?.stop();
});

function all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return new Promise((resolve, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T[]))));
}

interface Answer {
  status: number;
  location: string | null;
  cookies: string[];
  text: string;
}

async function send(
  pathname: string,
  init: { body?: URLSearchParams | FormData; cookie?: string; ip?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body) headers.Origin = new URL(portal.url).origin;
  if (init.cookie) headers.Cookie = init.cookie;
  if (init.ip) headers["X-Forwarded-For"] = init.ip;
  const res = await fetch(`${portal.url}${pathname}`, {
    method: init.body ? "POST" : "GET",
    redirect: "manual",
    headers,
    body: init.body,
    signal: AbortSignal.timeout(120_000),
  });
  return { status: res.status, location: res.headers.get("location"), cookies: res.headers.getSetCookie(), text: await res.text() };
}

/** A route's loader data, asked for as the page's JavaScript does (single fetch), decoded. */
async function loaderData<T>(pathname: string, routeId: string, cookie: string): Promise<T> {
  const answer = await send(dataUrl(pathname, routeId), { cookie });
  expect(answer.status, answer.text.slice(0, 200)).toBe(200);
  return loaderDataOf<T>(new Response(answer.text), routeId);
}

const sessionOf = (a: Answer) =>
  a.cookies.map((c) => c.split(";")[0]).find((c) => c.startsWith("portal_sid=") && c.length > "portal_sid=".length) ?? null;

const login = (username: string, password: string, ip: string, extra: Record<string, string> = {}) =>
  send("/login", { body: new URLSearchParams({ username, password, ...extra }), ip });

async function signIn(username: string, ip: string): Promise<string> {
  const answer = await login(username, DEMO_PASSWORD, ip);
  const cookie = sessionOf(answer);
  if (answer.status !== 302 || !cookie) throw new Error(`sign-in of ${username} failed: ${answer.status} ${answer.text.slice(0, 200)}`);
  return cookie;
}

const count = (answers: Answer[], status: number) => answers.filter((a) => a.status === status).length;
const evaluatedLogins = async (username: string, ip?: string) =>
  (await all<{ n: number }>(
    `select count(*) as n from login_attempts where username = ? ${ip ? "and ip = ?" : ""}`,
    ip ? [username, ip] : [username],
  ))[0].n;

describe("3. login throttle under concurrency", () => {
  it("200 parallel wrong passwords for one account: at most 5 are evaluated, one audit row summarises the rest", async () => {
    const ip = "10.20.0.1";
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => login("x02-c1", `Wrong#${i}pass`, ip)));
    const ms = performance.now() - started;
    const evaluated = await evaluatedLogins("x02-c1", ip);
    console.log(`200 parallel wrong passwords: ${count(answers, 401)} × 401, ${count(answers, 429)} × 429, evaluated ${evaluated}, ${Math.round(ms)} ms`);
    expect(evaluated).toBeLessThanOrEqual(LOGIN_LIMITS.pair.maxFailures);
    expect(count(answers, 401)).toBe(evaluated);
    expect(count(answers, 429)).toBe(200 - evaluated);
    expect(answers.every((a) => sessionOf(a) === null)).toBe(true);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.text).toMatch(/后再试/);
    const summaries = await all<{ detail_json: string }>(`select detail_json from audit_events where action = 'login_throttled' and ip = ?`, [ip]);
    expect(summaries).toHaveLength(1);
    expect(JSON.parse(summaries[0].detail_json).refused).toBe(200 - evaluated);
  });

  it("a burst of 100 ending with the right password does not sign in", async () => {
    const ip = "10.20.0.2";
    const wrong = await Promise.all(Array.from({ length: 99 }, (_, i) => login("x02-lead", `Guess#${i}word`, ip)));
    const last = await login("x02-lead", DEMO_PASSWORD, ip);
    expect(count(wrong, 401)).toBeLessThanOrEqual(LOGIN_LIMITS.pair.maxFailures);
    expect(last.status).toBe(429);
    expect(sessionOf(last)).toBeNull();
    // Fully parallel, the right password in among the guesses: still at most 5 evaluated.
    const mixed = await Promise.all(
      Array.from({ length: 100 }, (_, i) => login("x03-c1", i === 99 ? DEMO_PASSWORD : `Guess#${i}word`, "10.20.0.3")),
    );
    expect(await evaluatedLogins("x03-c1", "10.20.0.3")).toBeLessThanOrEqual(LOGIN_LIMITS.pair.maxFailures);
    expect(count(mixed, 429)).toBeGreaterThanOrEqual(100 - LOGIN_LIMITS.pair.maxFailures);
  });

  it("200 parallel wrong passwords for one account from 200 addresses: the account slows down", async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => login("x03-lead", `Wrong#${i}pass`, `10.21.${i >> 8}.${i & 255}`)),
    );
    const evaluated = await evaluatedLogins("x03-lead");
    console.log(`200 parallel from 200 addresses: evaluated ${evaluated}`);
    expect(evaluated).toBeLessThanOrEqual(LOGIN_LIMITS.account.freeFailures);
    expect(count(answers, 429)).toBe(200 - evaluated);
  });

  it("20 failures from a shared NAT address do not lock out a right password behind it", async () => {
    const ip = "10.20.0.4";
    for (let i = 0; i < 20; i++) expect((await login(`x0${(i % 9) + 1}-c9`, "Mistyped#pass", ip)).status).toBe(401);
    const answer = await login("x04-c1", DEMO_PASSWORD, ip);
    expect(answer.status).toBe(302);
    const cookie = sessionOf(answer)!;
    expect((await send("/account/password", { cookie })).status).toBe(200);
  });

  it("signing in to one's own account does not clear the address: spraying stops at the daily cap", async () => {
    const ip = "10.20.0.5";
    await signIn("x05-c1", ip);
    const targets = Array.from({ length: 150 }, (_, i) => `spray-${i}`);
    const answers: Answer[] = [];
    for (let i = 0; i < targets.length; i += 10) {
      answers.push(...(await Promise.all(targets.slice(i, i + 10).map((u) => login(u, "Summer#2026x", ip)))));
      // The attacker's own account, between every batch: it keeps working, and clears nothing else.
      expect((await login("x05-c1", DEMO_PASSWORD, ip)).status).toBe(302);
    }
    console.log(`spray of 150 accounts with 15 own sign-ins: ${count(answers, 401)} × 401, ${count(answers, 429)} × 429`);
    expect(count(answers, 401)).toBeLessThanOrEqual(LOGIN_LIMITS.address.maxFailures);
    expect(count(answers, 429)).toBeGreaterThanOrEqual(150 - LOGIN_LIMITS.address.maxFailures);
    // An account that signs in from this address as usual is not held by the address's failures.
    expect((await login("x05-c1", DEMO_PASSWORD, ip)).status).toBe(302);
    // One never seen here is.
    expect((await login("x06-c1", DEMO_PASSWORD, ip)).status).toBe(429);
  });

  it("the current-password check of /account/password is throttled the same way", async () => {
    const ip = "10.20.0.7";
    const cookie = await signIn("x07-c1", ip);
    const change = (current: string) =>
      send("/account/password", {
        cookie, ip,
        body: new URLSearchParams({ current_password: current, new_password: "Taken#Over2026", confirm_password: "Taken#Over2026" }),
      });
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => change(`Guess#${i}word`)));
    const evaluated = (await all<{ n: number }>(`select count(*) as n from audit_events where action = 'password_check_failed' and ip = ?`, [ip]))[0].n;
    console.log(`200 parallel current-password guesses: ${count(answers, 400)} × 400, ${count(answers, 429)} × 429, evaluated ${evaluated}`);
    expect(evaluated).toBeLessThanOrEqual(LOGIN_LIMITS.pair.maxFailures);
    expect(count(answers, 400)).toBe(evaluated);
    expect(count(answers, 429)).toBe(200 - evaluated);
    expect((await change(DEMO_PASSWORD)).status).toBe(429);
    const changed = await all(`select id from audit_events where action = 'password_changed' and ip = ?`, [ip]);
    expect(changed).toEqual([]);
  });

  it("refuses Password, a common password and one under 10 characters as a new password", async () => {
    const cookie = await signIn("x08-c1", "10.20.0.8");
    for (const [next, message] of [["Password", /至少 10 位/], ["password123", /常见密码/], ["Qwerty12345", /常见密码/], ["Abc#12345", /至少 10 位/]] as const) {
      const answer = await send("/account/password", {
        cookie, ip: "10.20.0.8",
        body: new URLSearchParams({ current_password: DEMO_PASSWORD, new_password: next, confirm_password: next }),
      });
      expect(answer.status, next).toBe(400);
      expect(answer.text, next).toMatch(message);
    }
  });
});

describe("4. open redirect", () => {
  const attacks = [
    "/%09/evil.example/phish", "/%0a/evil.example", "/%0d/evil.example", "//evil.example/phish", "/%2F%2Fevil.example",
    "/%5Cevil.example", "/%5C%5Cevil.example", "/%252F%252Fevil.example", "https://evil.example", "javascript:alert(1)",
    "/%E2%80%8B/evil.example", "/%C2%A0/evil.example", "%2F%2Fevil.example",
  ];

  it("a signed-in visitor to /login?redirectTo=… stays on the portal", async () => {
    const cookie = await signIn("x09-c1", "10.20.0.9");
    for (const target of attacks) {
      const answer = await send(`/login?redirectTo=${target}`, { cookie });
      expect(answer.status, target).toBe(302);
      expect(answer.location, target).toBe("/");
    }
  });

  it("signing in with an attack or non-ASCII return address answers a redirect on the portal, never a 500", async () => {
    for (const target of [...attacks.map(decodeURIComponent), "/items?q=城关镇", "/稿件/一", "/\u{1F600}"]) {
      const answer = await login("x09-c1", DEMO_PASSWORD, "10.20.0.9", { redirectTo: target });
      expect(answer.status, target).toBe(302);
      expect(answer.location, target).toMatch(/^\/(?![/\\])[\x21-\x7e]*$|^\/$/);
    }
    const chinese = await login("x09-c1", DEMO_PASSWORD, "10.20.0.9", { redirectTo: "/items?q=城关镇" });
    expect(chinese.location).toBe("/items?q=%E5%9F%8E%E5%85%B3%E9%95%87");
  });
});

describe("5. blocked words with hidden characters", () => {
  const split = (label: WordSplitter): [string, string, string] => [label, `学习机${WORD_SPLITTERS[label]}密文件`, "机密"];
  const bypasses: Array<[string, string, string]> = [
    split("零宽空格 U+200B"),
    split("软连字符 U+00AD"),
    split("词连接符 U+2060"),
    ["康熙部首 ⾼", "⾼考状元经验分享", "高考状元"],
    split("普通空格"),
  ];

  it.each(bypasses)("%s: the item is kept as a draft and not submitted", async (_label, title, word) => {
    const cookie = await signIn("x10-c1", "10.20.0.10");
    const data = await loaderData<{
      options: { categories: Array<{ id: number }>; channels: Array<{ id: number }> }; today: string; authorId: number; formToken: string;
    }>("/items/new", "routes/items.new", cookie);
    const body = new FormData();
    body.set("title", title);
    body.set("body", `${title}。全体教师参加了学习。`);
    body.set("category_id", String(data.options.categories[0].id));
    body.set("channel_id", String(data.options.channels[0].id));
    body.set("event_date", data.today);
    body.append("bylines", String(data.authorId));
    body.set("confidential_checked", "1");
    body.set("intent", "submit");
    body.set("form_token", data.formToken);
    const answer = await send("/items/new", { cookie, body });
    expect(answer.status).toBe(302);
    expect(answer.location).toMatch(/^\/items\/\d+\/edit$/);
    const id = Number(/\/items\/(\d+)\/edit/.exec(answer.location!)![1]);
    const [row] = await all<{ status: string }>(`select status from items where id = ?`, [id]);
    expect(row.status).toBe("draft");
    const flash = answer.cookies.find((c) => c.startsWith("portal_flash="))!;
    const page = await send(`/items/${id}/edit`, { cookie: `${cookie}; ${flash.split(";")[0]}` });
    expect(page.text).toContain(`稿件含有禁用词“${word}”`);
    // Shown once: the page that shows it clears the cookie, and so does the page's JavaScript's
    // single-fetch request (the root loader's answer) when that is what shows it.
    const cleared = (cookies: string[]) => cookies.some((c) => /^portal_flash=/.test(c) && /Max-Age=0/i.test(c));
    expect(cleared(page.cookies)).toBe(true);
    const viaData = await send(dataUrl(`/items/${id}/edit`), { cookie: `${cookie}; ${flash.split(";")[0]}` });
    expect(viaData.status).toBe(200);
    const root = await loaderDataOf<{ flash: { message: string } | null }>(new Response(viaData.text), "root");
    expect(root.flash?.message).toContain(`稿件含有禁用词“${word}”`);
    expect(cleared(viaData.cookies)).toBe(true);
    // Without the cookie (cleared), the message is gone.
    const after = await loaderDataOf<{ flash: unknown }>(new Response((await send(dataUrl(`/items/${id}/edit`), { cookie })).text), "root");
    expect(after.flash).toBeNull();
  });
});

describe("6. CSV formula injection", () => {
  it("a unit named =HYPERLINK(...) reaches the .csv as text and the .xlsx as a string cell", async () => {
    const formula = '=HYPERLINK("http://evil.example/phish","点此领取")';
    const admin = await signIn("admin", "10.20.0.11");
    const unitRows = await all<{ id: number }>(`select id from units where code = 'X11'`);
    const id = unitRows[0].id;
    const current = await loaderData<{
      unit: { code: string; township: string; kind_code: string; signoff_required: number };
    }>(`/admin/units/${id}`, "routes/admin.units.$id", admin);
    const saved = await send(`/admin/units/${id}`, {
      cookie: admin,
      body: new URLSearchParams({
        intent: "save", code: current.unit.code, name: formula, township: current.unit.township ?? "", kind: current.unit.kind_code,
        ...(current.unit.signoff_required ? { signoff_required: "1" } : {}),
      }),
    });
    expect(saved.status).toBe(302);
    const reviewer = await signIn("reviewer", "10.20.0.12");
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const csvAnswer = await fetch(`${portal.url}/rankings/${month}.csv`, { headers: { Cookie: reviewer } });
    expect(csvAnswer.status).toBe(200);
    const records: string[][] = parse((await csvAnswer.text()).replace(/^\uFEFF/, ""));
    const nameAt = records[0].indexOf("单位");
    expect(records.find((r) => r[nameAt].includes("HYPERLINK"))![nameAt]).toBe(`'${formula}`);
    for (const r of records.slice(1)) for (const cell of r) expect(cell).not.toMatch(/^[=+@\t\r]|^-(?!\d+(\.\d+)?$)/);

    const xlsx = await fetch(`${portal.url}/rankings/${month}.xlsx`, { headers: { Cookie: reviewer } });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await xlsx.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const cells: ExcelJS.Cell[] = [];
    workbook.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => { if (String(c.value).includes("HYPERLINK")) cells.push(c); })));
    expect(cells.length).toBeGreaterThan(0);
    for (const c of cells) expect(c.type).toBe(ExcelJS.ValueType.String);
  });
});

describe("7. plain-http intranet login", () => {
  it("signs in over plain http: the session cookie is not Secure and the next page is signed in", async () => {
    const answer = await login("x12-c1", DEMO_PASSWORD, "10.20.0.13");
    expect(answer.status).toBe(302);
    const raw = answer.cookies.find((c) => c.startsWith("portal_sid="))!;
    expect(raw).not.toMatch(/;\s*Secure/i);
    expect(raw).toMatch(/HttpOnly/i);
    expect((await send("/account/password", { cookie: raw.split(";")[0] })).status).toBe(200);
  });

  it("marks the cookie Secure when a proxy on this machine says the request came over https", async () => {
    const answer = await login("x12-c1", DEMO_PASSWORD, "10.20.0.13", {});
    expect(answer.cookies.find((c) => c.startsWith("portal_sid="))).not.toMatch(/Secure/i);
    const viaProxy = await send("/login", {
      body: new URLSearchParams({ username: "x12-c1", password: DEMO_PASSWORD }),
      ip: "10.20.0.13",
      headers: { "X-Forwarded-Proto": "https", "X-Forwarded-Host": new URL(portal.url).host },
    });
    expect(viaProxy.status).toBe(302);
    expect(viaProxy.cookies.find((c) => c.startsWith("portal_sid="))).toMatch(/;\s*Secure/i);
  });

  it("with COOKIE_SECURE=1, a plain-http login says why instead of failing silently", async () => {
    const forced = await startPortal({ AUTO_REMINDERS: "0", COOKIE_SECURE: "1" });
    try {
      const res = await fetch(`${forced.url}/login`, {
        method: "POST", redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: new URL(forced.url).origin },
        body: new URLSearchParams({ username: "x12-c1", password: DEMO_PASSWORD }),
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("只能经 https 登录（COOKIE_SECURE=1）");
      expect(res.headers.getSetCookie().filter((c) => c.startsWith("portal_sid="))).toEqual([]);
      expect(forced.output()).toMatch(/COOKIE_SECURE=1，始终带 Secure/);
    } finally {
      await forced.stop();
    }
  });

  it("prints every LAN address to open and how the cookie is set", () => {
    const out = portal.output();
    for (const list of Object.values(networkInterfaces())) {
      for (const i of list ?? []) {
        if (!i.internal && i.family === "IPv4") expect(out).toContain(`http://${i.address}:`);
      }
    }
    expect(out).toMatch(/登录 Cookie：.*COOKIE_SECURE=1/);
  });
});

describe("8. ids in addresses", () => {
  it("/notices/0x1, /notices/1e0 and friends are 404, the notice itself 200", async () => {
    const [notice] = await all<{ id: number }>(`select id from notices where status = 'published' and kind = 'monthly' order by id limit 1`);
    expect((await send(`/notices/${notice.id}`)).status).toBe(200);
    for (const spelling of [`0x${notice.id.toString(16)}`, `${notice.id}e0`, `%20${notice.id}`, `${notice.id}.0`, `+${notice.id}`]) {
      expect((await send(`/notices/${spelling}`)).status, spelling).toBe(404);
      expect((await send(`/notices/${spelling}/export?format=docx`)).status, spelling).toBe(404);
    }
  });

  it("an address with a broken escape (%FF) is 400 and says the address is at fault, not a form", async () => {
    for (const address of ["/items/%FF", "/news/%E0%A4", "/%FF", "/photos/%FF/thumb"]) {
      const answer = await send(address);
      expect(answer.status, address).toBe(400);
      expect(answer.text, address).toContain("网址无法识别");
      expect(answer.text, address).not.toContain("提交的内容");
    }
  });
});
