// The production build under concurrent writers and readers for CONCURRENCY_SECONDS (default 60):
// correspondents of several units writing and submitting (some with a photo, some posting the same
// form twice at once), their leads signing off or sending back, two reviewers deciding from the
// same queue (so they collide), a third reviewer tab recording 上稿 / 批示 / 撤稿 and closing last
// month, while four readers load league tables, the Excel export, dashboards and loader data.
// Every response must be the one its request expects (an honest 409 only where two reviewers
// collide or a month still has waiting items); nothing may answer 500/503 or leak an SQLite error.
// Afterwards the server is stopped and its database checked: the rollups equal a recomputation,
// a month closed during the run froze exactly its recomputation, and SQLite's integrity check passes.
import path from "node:path";
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import sharp from "sharp";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabases, type Databases } from "../../db/connect";
import { addMonths } from "~/domain/time";
import { recomputeFromScratch, rollupAsMap } from "../support/recompute";
import {
  correspondentDifferences, correspondentRollupAsMap, expectedSnapshot, frozenPeople, frozenSnapshot, recomputeCorrespondentsFromScratch,
} from "../support/snapshot-check";
import { dataUrl, loaderDataOf } from "../support/single-fetch";
import { signInOverHttp, startPortal, type Portal } from "./support/portal";

const SECONDS = Number(process.env.CONCURRENCY_SECONDS || 60);
const REQUEST_TIMEOUT_MS = 30_000;
const TAKEN = "该稿件已被他人处理，请刷新后查看最新状态。";

/** Correspondents' units: township schools, district schools, kindergartens; Y12 sends straight to the bureau. */
const WRITING_UNITS = ["x01", "x02", "x03", "q01", "q02", "q03", "y01", "y02", "y12"];
const NO_SIGNOFF = new Set(["y12"]);

let portal: Portal;

beforeAll(async () => {
  portal = await startPortal({ AUTO_REMINDERS: "0" });
}, 240_000);
afterAll(async () => portal?.stop());

// ---------------------------------------------------------------------------------------------
// Requests, checked one by one

interface Tally {
  count: number;
  ms: number[];
  statuses: Map<number, number>;
}
const tallies = new Map<string, Tally>();
const problems: string[] = [];
let writes = 0;
let reads = 0;
let conflicts = 0;

function note(kind: string, status: number, ms: number) {
  let t = tallies.get(kind);
  if (!t) tallies.set(kind, (t = { count: 0, ms: [], statuses: new Map() }));
  t.count++;
  t.ms.push(ms);
  t.statuses.set(status, (t.statuses.get(status) ?? 0) + 1);
}

let problemCount = 0;
function problem(text: string) {
  problemCount++;
  if (problems.length < 20) problems.push(text);
}

class Client {
  cookie = "";
  constructor(readonly username: string) {}

  async login() {
    this.cookie = await signInOverHttp(portal.url, this.username);
    return this;
  }

  /**
   * One request. `expected` lists the statuses this request may honestly get; anything else, any
   * 5xx, and any body that shows an SQLite error is a problem.
   */
  async send(kind: string, pathname: string, expected: number[], init: { method?: string; body?: BodyInit } = {}) {
    const method = init.method ?? (init.body ? "POST" : "GET");
    const headers = new Headers({ Cookie: this.cookie });
    if (method !== "GET") headers.set("Origin", portal.url);
    if (init.body instanceof URLSearchParams) headers.set("Content-Type", "application/x-www-form-urlencoded");
    const started = performance.now();
    let status = 0;
    let text = "";
    let location: string | null = null;
    let type = "";
    try {
      const res = await fetch(`${portal.url}${pathname}`, { method, headers, body: init.body, redirect: "manual", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      status = res.status;
      location = res.headers.get("location");
      type = res.headers.get("content-type") ?? "";
      text = Buffer.from(await res.arrayBuffer()).toString("utf8");
    } catch (error) {
      problem(`${kind}: ${method} ${pathname} failed: ${(error as Error).message}`);
      note(kind, 0, performance.now() - started);
      return null;
    }
    note(kind, status, performance.now() - started);
    if (method === "GET") reads++;
    else if (status === 302 || status === 303) writes++;
    if (status >= 500) problem(`${kind}: ${method} ${pathname} → ${status} ${text.slice(0, 200)}`);
    else if (!expected.includes(status)) problem(`${kind}: ${method} ${pathname} → ${status} (expected ${expected.join("/")}) ${text.slice(0, 200)}`);
    if (/SQLITE_|database is locked/i.test(text)) problem(`${kind}: ${method} ${pathname} → ${status} shows an SQLite error: ${text.slice(0, 200)}`);
    return { status, text, location, type };
  }

  /** A route's loader data, asked for as the page's JavaScript does (`<page>.data?_routes=<route>`), decoded. */
  async data<T = any>(kind: string, pathname: string, routeId: string): Promise<T | null> {
    const res = await this.send(kind, dataUrl(pathname, routeId), [200]);
    if (!res || res.status !== 200) return null;
    try {
      return await loaderDataOf<T>(new Response(res.text), routeId);
    } catch (error) {
      problem(`${kind}: ${pathname} did not answer its loader data: ${(error as Error).message.slice(0, 120)} ${res.text.slice(0, 120)}`);
      return null;
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];

// ---------------------------------------------------------------------------------------------
// Shared work between the loops

interface Run {
  deadline: number;
  month: string;
  lastMonth: string;
  year: string;
  today: string;
  /** Items waiting for a unit's lead, by unit. */
  toSignOff: Map<string, number[]>;
  /** Items waiting for a reviewer: both reviewers work from its head, so they collide. */
  toReview: number[];
  /** This run's items a lead sent back or a reviewer returned, by unit: their correspondent resubmits them. */
  returned: Map<string, number[]>;
  /** Adopted items of the open month, for 上稿 / 批示 / 撤稿 (only the records loop touches them). */
  adopted: number[];
  /** Which unit wrote each item of this run. */
  unitOf: Map<number, string>;
  forms: { posted: number; doubled: number; created: Set<number>; titles: Set<string> };
  lastMonthClosed: boolean;
  closeAttempts: { closed: number; refused: number };
  /** The latest published year-end summary's year (the demo publishes last year's on 10 January). */
  summaryYear: string | null;
}

let run: Run;
let photoSeed = 0;

async function smallJpeg(): Promise<Buffer> {
  const n = ++photoSeed;
  return sharp({ create: { width: 160, height: 120, channels: 3, background: { r: (n * 37) % 256, g: (n * 91) % 256, b: (n * 53) % 256 } } })
    .jpeg({ quality: 70 })
    .toBuffer();
}

function versionOf(data: any): number | undefined {
  const v = data?.item?.version;
  return typeof v === "number" ? v : undefined;
}

const itemIdIn = (location: string | null) => {
  const m = /^\/items\/(\d+)$/.exec(location ?? "");
  return m ? Number(m[1]) : null;
};

function arrived(unit: string, id: number) {
  if (NO_SIGNOFF.has(unit)) run.toReview.push(id);
  else run.toSignOff.get(unit)!.push(id);
}

// ---------------------------------------------------------------------------------------------
// The loops

async function correspondentLoop(client: Client, unit: string, form: { categoryId: number; channelId: number; authorId: number }) {
  let firstForm = true;
  let n = 0;
  while (performance.now() < run.deadline) {
    const returned = run.returned.get(unit)!;
    if (returned.length > 0 && Math.random() < 0.5) {
      const id = returned.shift()!;
      const data = await client.data("信息员读取退回稿件", `/items/${id}`, "routes/items.$id");
      const version = versionOf(data);
      if (version === undefined) continue;
      const res = await client.send("信息员重新报送（POST）", `/items/${id}`, [302], {
        body: new URLSearchParams({ intent: "submit", version: String(version), confidential_checked: "1" }),
      });
      if (res?.status === 302) arrived(unit, id);
      continue;
    }

    // The form page: the first time as the browser gets it (the token is a hidden field), then as loader data.
    let token: string | undefined;
    if (firstForm) {
      const page = await client.send("写稿页面 /items/new", "/items/new", [200]);
      token = /name="form_token" value="([^"]+)"/.exec(page?.text ?? "")?.[1];
      if (!token) problem(`${unit}: the new-item page carries no form_token field`);
      firstForm = false;
    } else {
      token = (await client.data<{ formToken: string }>(".data 写稿页面", "/items/new", "routes/items.new"))?.formToken;
    }
    if (!token) continue;

    n++;
    const title = `并发测试：${unit.toUpperCase()}开展校园安全教育活动第${n}篇`;
    const saveFirst = Math.random() < 0.25;
    const photo = Math.random() < 0.3 ? await smallJpeg() : null;
    const build = () => {
      const body = new FormData();
      body.set("title", title);
      body.set("body", `${title}。全体师生参加，活动内容丰富，效果良好。\n学校将持续开展此类活动。`);
      body.set("category_id", String(form.categoryId));
      body.set("channel_id", String(form.channelId));
      body.set("event_date", run.today);
      body.append("bylines", String(form.authorId));
      body.set("confidential_checked", "1");
      body.set("intent", saveFirst ? "save" : "submit");
      body.set("form_token", token!);
      if (photo) {
        body.set("photo_1", new Blob([new Uint8Array(photo)], { type: "image/jpeg" }), `现场${n}.jpg`);
        body.set("caption_1", "活动现场");
      }
      return body;
    };
    const kind = `写稿${saveFirst ? "保存" : "报送"}${photo ? "（含图片）" : ""}（POST）`;
    const doubled = Math.random() < 0.1;
    const answers = doubled
      ? await Promise.all([client.send(`${kind}，重复提交`, "/items/new", [302], { body: build() }), client.send(`${kind}，重复提交`, "/items/new", [302], { body: build() })])
      : [await client.send(kind, "/items/new", [302], { body: build() })];
    run.forms.posted++;
    if (doubled) run.forms.doubled++;
    const ids = answers.map((a) => itemIdIn(a?.location ?? null));
    if (ids.some((id) => id === null)) {
      if (answers.every((a) => a?.status === 302)) problem(`${kind}: redirected to ${answers.map((a) => a?.location).join(", ")}`);
      continue;
    }
    if (new Set(ids).size !== 1) problem(`${kind}: the same form created items ${ids.join(", ")}`);
    const id = ids[0]!;
    run.forms.created.add(id);
    run.forms.titles.add(title);
    run.unitOf.set(id, unit);
    if (saveFirst) {
      const res = await client.send("信息员报送草稿（POST）", `/items/${id}`, [302], {
        body: new URLSearchParams({ intent: "submit", version: "1", confidential_checked: "1" }),
      });
      if (res?.status !== 302) continue;
    }
    arrived(unit, id);
  }
}

async function leadLoop(client: Client, unit: string) {
  while (performance.now() < run.deadline) {
    const id = run.toSignOff.get(unit)!.shift();
    if (id === undefined) {
      await sleep(20);
      continue;
    }
    const version = versionOf(await client.data("领导读取稿件", `/items/${id}`, "routes/items.$id"));
    if (version === undefined) continue;
    const back = Math.random() < 0.1;
    const res = await client.send(back ? "领导退回（POST）" : "领导签发（POST）", `/items/${id}`, [302], {
      body: new URLSearchParams(back ? { intent: "send_back", version: String(version), reason: "请补充活动图片" } : { intent: "sign_off", version: String(version) }),
    });
    if (res?.status !== 302) continue;
    if (back) run.returned.get(unit)!.push(id);
    else run.toReview.push(id);
  }
}

async function reviewerLoop(client: Client) {
  while (performance.now() < run.deadline) {
    if (run.toReview.length === 0) {
      await sleep(20);
      continue;
    }
    // Mostly the head of the queue (the other reviewer is likely on it too), sometimes the next ones.
    const id = Math.random() < 0.7 ? run.toReview[0] : pick(run.toReview.slice(0, 3));
    const data = await client.data("审核员读取稿件", `/review/${id}`, "routes/review.$id");
    const version = versionOf(data);
    if (data?.item?.status !== "submitted" || version === undefined) {
      drop(run.toReview, id);
      continue;
    }
    const r = Math.random();
    const body: Record<string, string> =
      r < 0.7
        ? { intent: "adopt", grade: pick(["excellent", "good", "fair"]) }
        : r < 0.85
          ? { intent: "return", reason: "请补充活动的时间、地点和参加人数" }
          : { intent: "reject", reason: "内容与本月报送重点无关" };
    const res = await client.send(`审核${body.intent}（POST）`, `/review/${id}`, [302, 409], {
      body: new URLSearchParams({ ...body, version: String(version) }),
    });
    drop(run.toReview, id);
    if (!res) continue;
    if (res.status === 409) {
      conflicts++;
      const formError = safeJson(res.text)?.formError ?? (res.text.includes(TAKEN) ? TAKEN : res.text.slice(0, 120));
      if (formError !== TAKEN) problem(`reviewer 409 on ${id} without the collision message: ${formError}`);
      continue;
    }
    const unit = run.unitOf.get(id);
    // Records go on items of the open month only: last month may be closed by now, and its frozen
    // snapshot is compared with its items at the end.
    if (body.intent === "adopt" && data.item.report_month === run.month) run.adopted.push(id);
    if (unit && body.intent === "return") run.returned.get(unit)!.push(id);
  }
}

/** Numbers the 上稿 and 批示 the records loops send, so no two are the same word for word. */
let recordNo = 0;

async function recordsLoop(client: Client) {
  let nextClose = performance.now() + 2_000;
  while (performance.now() < run.deadline) {
    if (!run.lastMonthClosed && performance.now() >= nextClose) {
      nextClose = performance.now() + 3_000;
      const res = await client.send("结算上月（POST）", "/months", [302, 409], { body: new URLSearchParams({ intent: "close", month: run.lastMonth }) });
      if (res?.status === 302) {
        run.lastMonthClosed = true;
        run.closeAttempts.closed++;
      } else if (res?.status === 409) {
        run.closeAttempts.refused++;
        if (!/待审核|已经结算/.test(res.text)) problem(`close of ${run.lastMonth} refused for another reason: ${res.text.slice(0, 160)}`);
      }
      continue;
    }
    if (run.adopted.length === 0) {
      await sleep(20);
      continue;
    }
    const id = pick(run.adopted);
    const r = Math.random();
    if (r < 0.5) {
      await client.send("登记上稿（POST）", `/review/${id}`, [302], {
        // Each record its own (the same one word for word is refused as sent twice: review-record-dates.test.ts).
        body: new URLSearchParams({ intent: "pickup", outlet: `县融媒体中心第 ${++recordNo} 期`, tier: pick(["county", "city", "province", "national"]), picked_on: run.today }),
      });
    } else if (r < 0.8) {
      await client.send("登记批示（POST）", `/review/${id}`, [302], {
        body: new URLSearchParams({ intent: "instruction", level: pick(["county", "city", "province"]), leader: "县教体局局长", content: `做法很好，值得推广（${++recordNo}）`, instructed_on: run.today }),
      });
    } else {
      const version = versionOf(await client.data("撤稿前读取稿件", `/review/${id}`, "routes/review.$id"));
      if (version === undefined) continue;
      const res = await client.send("撤稿（POST）", `/review/${id}`, [302], {
        body: new URLSearchParams({ intent: "withdraw", reason: "经核实信息有误", version: String(version), ...(Math.random() < 0.5 ? { revoke_points: "1" } : {}) }),
      });
      if (res?.status === 302) drop(run.adopted, id);
    }
  }
}

async function readerLoop(client: Client, role: "reviewer" | "admin" | "lead" | "correspondent") {
  const pages: Array<() => Promise<unknown>> = [
    () => client.send("月度排行 /rankings/<月>", `/rankings/${pick([run.month, run.lastMonth])}`, [200]),
    () => client.send("年度排行 /rankings/<年>", `/rankings/${run.year}`, [200]),
    async () => {
      const res = await client.send("排行榜 Excel 导出", `/rankings/${pick([run.month, run.lastMonth])}/export?format=xlsx`, [200]);
      if (res && res.status === 200 && !res.type.includes("spreadsheetml")) problem(`xlsx export answered ${res.type}`);
    },
    () => client.send(`首页（${role}）`, "/", [200]),
    () => client.data(".data 月度排行", `/rankings/${run.month}`, "routes/rankings.$period"),
  ];
  if (role === "reviewer") {
    pages.push(
      () => client.send("审核列表 /review", "/review", [200]),
      () => client.data(".data 审核列表", "/review", "routes/review._index"),
      () => client.send("月度结算 /months", "/months", [200]),
    );
  } else if (role === "admin") {
    pages.push(() =>
      run.summaryYear
        ? client.send("年度汇总 /summary/<年>", `/summary/${run.summaryYear}`, [200])
        : client.send("通报列表 /notices", "/notices", [200]),
    );
  } else {
    pages.push(() => client.send("本单位稿件 /items", "/items", [200]), () => client.data(".data 本单位稿件", "/items", "routes/items._index"));
  }
  while (performance.now() < run.deadline) await pick(pages)();
}

function drop(list: number[], id: number) {
  const i = list.indexOf(id);
  if (i >= 0) list.splice(i, 1);
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------

it(`${SECONDS} s of 20 concurrent writers and 4 readers: every answer honest, no SQLite error, the accounting intact`, async () => {
  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))] : NaN;
  };

  // Who works: 9 correspondents, 8 leads (Y12 has no school sign-off), 2 reviewers deciding and a
  // third reviewer tab for records and closing: 20 writers. 4 readers of other accounts.
  const correspondents = await Promise.all(WRITING_UNITS.map((u) => new Client(`${u}-c1`).login()));
  const leads = await Promise.all(WRITING_UNITS.filter((u) => !NO_SIGNOFF.has(u)).map((u) => new Client(`${u}-lead`).login()));
  const [reviewerA, reviewerB, recorder] = await Promise.all([new Client("reviewer").login(), new Client("reviewer2").login(), new Client("reviewer2").login()]);
  const readers = await Promise.all([
    new Client("reviewer").login().then((c) => [c, "reviewer"] as const),
    new Client("admin").login().then((c) => [c, "admin"] as const),
    new Client("x05-lead").login().then((c) => [c, "lead"] as const),
    new Client("x06-c1").login().then((c) => [c, "correspondent"] as const),
  ]);
  expect(correspondents.length + leads.length + 3).toBe(20);

  const forms = await Promise.all(
    correspondents.map(async (c) => {
      const data = await c.data<{ options: { categories: Array<{ id: number }>; channels: Array<{ id: number }> }; today: string; authorId: number }>(
        ".data 写稿页面", "/items/new", "routes/items.new",
      );
      if (!data) throw new Error(`${c.username} cannot open the new-item form`);
      return { categoryId: data.options.categories[0].id, channelId: data.options.channels[0].id, authorId: data.authorId, today: data.today };
    }),
  );
  const today = forms[0].today;
  const month = today.slice(0, 7);
  const lastMonth = addMonths(month, -1);

  // The demo's waiting items join the queue, last month's first: closing it needs them decided.
  const waiting: number[] = [];
  for (const m of [lastMonth, month]) {
    for (let page = 1; page < 50; page++) {
      const q = await reviewerA.data<{ rows: Array<{ id: number }>; pages: number }>(".data 审核列表", `/review?status=submitted&month=${m}&sort=waiting&page=${page}`, "routes/review._index");
      if (!q) break;
      waiting.push(...q.rows.map((r) => r.id));
      if (page >= q.pages) break;
    }
  }

  // The open month's adopted items are there for 上稿 / 批示 / 撤稿 from the first second.
  const adopted = await reviewerA.data<{ rows: Array<{ id: number }> }>(".data 审核列表", `/review?status=adopted&month=${month}`, "routes/review._index");

  // Published summaries are public: the first recent year that answers an anonymous visitor.
  let summaryYear: string | null = null;
  for (const y of [Number(month.slice(0, 4)) - 1, Number(month.slice(0, 4)) - 2]) {
    const res = await fetch(`${portal.url}/summary/${y}`, { redirect: "manual" });
    await res.arrayBuffer();
    if (res.status === 200) {
      summaryYear = String(y);
      break;
    }
  }

  run = {
    summaryYear,
    deadline: 0, month, lastMonth, year: month.slice(0, 4), today,
    toSignOff: new Map(WRITING_UNITS.map((u) => [u, []])), toReview: [...new Set(waiting)],
    returned: new Map(WRITING_UNITS.map((u) => [u, []])), adopted: (adopted?.rows ?? []).map((r) => r.id), unitOf: new Map(),
    forms: { posted: 0, doubled: 0, created: new Set(), titles: new Set() },
    lastMonthClosed: false, closeAttempts: { closed: 0, refused: 0 },
  };
  const demoWaiting = run.toReview.length;
  tallies.clear();
  problems.length = 0;
  problemCount = 0;
  writes = 0;
  reads = 0;
  conflicts = 0;

  const started = performance.now();
  run.deadline = started + SECONDS * 1000;
  await Promise.all([
    ...correspondents.map((c, i) => correspondentLoop(c, WRITING_UNITS[i], forms[i])),
    ...leads.map((c) => leadLoop(c, c.username.split("-")[0])),
    reviewerLoop(reviewerA),
    reviewerLoop(reviewerB),
    recordsLoop(recorder),
    ...readers.map(([c, role]) => readerLoop(c, role)),
  ]);
  const elapsed = (performance.now() - started) / 1000;

  // The report: every kind of request with its statuses and latency.
  const lines = [
    `并发测试：${elapsed.toFixed(1)} 秒，20 个写入循环 + 4 个读取循环（${portal.url}）`,
    `写入成功 ${writes} 次（${(writes / elapsed).toFixed(1)} 次/秒），读取 ${reads} 次（${(reads / elapsed).toFixed(1)} 次/秒），审核冲突 409 ${conflicts} 次`,
    `新稿表单 ${run.forms.posted} 份（其中 ${run.forms.doubled} 份同时提交两次），创建稿件 ${run.forms.created.size} 篇；本月已采用可登记的稿件 ${run.adopted.length} 篇；演示待审稿件 ${demoWaiting} 篇，剩余待审 ${run.toReview.length} 篇`,
    `结算 ${lastMonth}：${run.lastMonthClosed ? "已在运行中结算" : "未结算（仍有待审稿件）"}，尝试被拒 ${run.closeAttempts.refused} 次`,
    "| 请求 | 次数 | 状态 | p50 ms | p95 ms | max ms |",
    "|---|---:|---|---:|---:|---:|",
    ...[...tallies]
      .sort((a, b) => b[1].count - a[1].count)
      .map(([kind, t]) => `| ${kind} | ${t.count} | ${[...t.statuses].map(([s, n]) => `${s}×${n}`).join(" ")} | ${pct(t.ms, 0.5).toFixed(0)} | ${pct(t.ms, 0.95).toFixed(0)} | ${Math.max(...t.ms).toFixed(0)} |`),
  ];
  console.log(lines.join("\n"));

  expect(problems, `${problemCount} problems, first ones:\n${problems.join("\n")}`).toEqual([]);
  const statuses = [...tallies.values()].flatMap((t) => [...t.statuses.keys()]);
  expect(statuses.filter((s) => s >= 500 || s === 0)).toEqual([]);
  expect(writes).toBeGreaterThan(SECONDS >= 60 ? 200 : Math.ceil(SECONDS * 2));
  expect(reads).toBeGreaterThan(SECONDS * 2);
  expect(portal.output()).not.toMatch(/SQLITE_BUSY|database is locked/);

  // Stop the server (SIGTERM: it closes its databases) and look at what it left on disk.
  const exited = new Promise((resolve) => portal.process.once("exit", resolve));
  portal.process.kill("SIGTERM");
  expect(await exited).toBe(0);
  expect(portal.output()).not.toMatch(/SQLITE_BUSY|database is locked/);

  let dbs: Databases | undefined;
  try {
    dbs = await openDatabases({ filename: path.join(portal.dataDir, "portal.sqlite"), readers: 1 });
    const db = dbs.db;
    const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
    expect(integrity.rows.map((r) => r.integrity_check)).toEqual(["ok"]);
    expect((await sql`pragma foreign_key_check`.execute(db)).rows).toEqual([]);

    // The rollups equal a recomputation from the raw tables, for every unit and person and month.
    const [rollup, scratch] = await Promise.all([rollupAsMap(db), recomputeFromScratch(db)]);
    expect(rollup.size).toBe(scratch.size);
    for (const [key, expected] of scratch) expect(rollup.get(key), key).toEqual(expected);
    expect(correspondentDifferences(await correspondentRollupAsMap(db), await recomputeCorrespondentsFromScratch(db))).toEqual([]);

    // A month closed in the middle of the decisions froze exactly its items as they stood.
    if (run.lastMonthClosed) {
      expect(await frozenSnapshot(db, lastMonth)).toEqual(await expectedSnapshot(db, lastMonth));
      const people = (await frozenPeople(db, lastMonth))!;
      const scratchPeople = [...(await recomputeCorrespondentsFromScratch(db))].filter(([k]) => k.endsWith(`:${lastMonth}`));
      expect(people.size).toBe(scratchPeople.length);
      for (const [key, p] of scratchPeople) {
        const frozen = people.get(Number(key.split(":")[0]));
        expect(frozen?.items, key).toBeCloseTo(p.items, 1);
        expect(frozen?.points, key).toBeCloseTo(p.points, 1);
      }
    }

    // One item per form, however often it was posted; no item decided twice by colliding reviewers.
    const runItems = await db.selectFrom("items").select(["id", "title", "form_token"]).where("title", "like", "并发测试：%").execute();
    expect(runItems.length).toBe(run.forms.titles.size);
    expect(new Set(runItems.map((i) => i.title)).size).toBe(runItems.length);
    expect(runItems.every((i) => i.form_token !== null)).toBe(true);
    const decidedTwice = await db
      .selectFrom("review_events")
      .select("item_id")
      .where("action", "in", ["adopt", "reject"])
      .groupBy("item_id")
      .having((eb) => eb.fn.countAll(), ">", 1)
      .execute();
    expect(decidedTwice).toEqual([]);
    const runEvents = await db
      .selectFrom("review_events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("item_id", "in", runItems.length ? runItems.map((i) => i.id) : [-1])
      .executeTakeFirstOrThrow();
    console.log(`库中：本次稿件 ${runItems.length} 篇，其审核记录 ${Number(runEvents.n)} 条；完整性检查 ok；汇总表与重新计算一致`);
  } finally {
    await dbs?.close();
  }
}, SECONDS * 1000 + 240_000);
