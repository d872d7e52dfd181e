// The complete authorization matrix, through the real production server over HTTP: every route
// module × {anonymous, correspondent of unit A, correspondent of unit B, lead of A, reviewer,
// admin} × {document GET, `.data` loader request, each intent its action handles} → the status a
// county bureau expects. A route module missing from MATRIX (or a row without a module), an
// action without its cases, or an intent the action handles but the table does not try, fails.
//
// Vocabulary: a single-fetch `.data` request that Remix answers with 202 and a redirect in its
// (turbo-stream) body counts as 302 to that target.
// An allowed role is usually sent a deliberately incomplete form and expected to get 400 (the
// permission check passed, validation refused, nothing written), or acts on a fixture made for
// it. Refused roles are sent a complete, valid form, so that a missing check would show as a
// success rather than as a validation error. Refusals write nothing, so each is also repeated as
// a `.data` POST (what the page's JavaScript sends). A second describe posts fields a role may
// not set (state, grade, unit, points, author, month) and checks in the database that they were
// ignored.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Kysely } from "kysely";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sqlite3ReaderDialect } from "../../db/dialect";
import type { Database } from "../../db/schema";
import { ITEM_INTENTS } from "~/domain/item-form";
import { addMonths } from "~/domain/time";
import { getConfig } from "~/models/env.server";
import { intentsIn } from "./support/route-intents";
import { dataUrl, decodeSingleFetch, loaderDataOf, routeIdOf, SINGLE_FETCH_REDIRECT_STATUS } from "../support/single-fetch";
import { DEMO_PASSWORD, signInOverHttp, startPortal, type Portal } from "./support/portal";

type Who = "anonymous" | "correspondentA" | "correspondentB" | "leadA" | "reviewer" | "admin";
type SignedIn = Exclude<Who, "anonymous">;
type Expect = Record<Who, number>;

const WHO: readonly Who[] = ["anonymous", "correspondentA", "correspondentB", "leadA", "reviewer", "admin"];
/** Unit A is the demo county's X01 (城关镇中心学校), unit B its X02 (柳河镇中心学校). */
const USERNAMES: Record<SignedIn, string> = {
  correspondentA: "x01-c1",
  correspondentB: "x02-c1",
  leadA: "x01-lead",
  reviewer: "reviewer",
  admin: "admin",
};

const ROUTES_DIR = path.resolve("app/routes");

const SHANGHAI = 8 * 3_600_000;
const today = () => new Date(Date.now() + SHANGHAI).toISOString().slice(0, 10);
const THIS_MONTH = today().slice(0, 7);
const THIS_YEAR = today().slice(0, 4);

// ---------------------------------------------------------------------------------------------
// Expectations

const everyone = (status: number): Expect => ({
  anonymous: status, correspondentA: status, correspondentB: status, leadA: status, reviewer: status, admin: status,
});
/** Signed-in roles get `status`; anonymous visitors are sent to the login page. */
const signedIn = (status: number): Expect => ({ ...everyone(status), anonymous: 302 });
/** Only these roles get `status` (200 unless told); other signed-in roles 403, anonymous 302. */
const only = (allowed: SignedIn[], status = 200, others = 403): Expect => {
  const e = signedIn(others);
  for (const w of allowed) e[w] = status;
  return e;
};
const tweak = (e: Expect, changes: Partial<Expect>): Expect => ({ ...e, ...changes });

// ---------------------------------------------------------------------------------------------
// Fixtures: found read-only in the portal's database, or made over HTTP by the proper role.

interface Fixtures {
  units: { A: number; B: number; spare: number };
  accounts: Record<SignedIn, number> & { spare: number };
  category: number;
  channel: number;
  /** Unit A's item waiting in the bureau's queue. */
  submittedA: number;
  /** Unit A's draft that never reached the bureau (it carries a photo). */
  draftA: number;
  /** A draft of unit A's made here to be deleted. */
  scratchDraftA: number;
  /** Unit A's item waiting for its lead's sign-off. */
  pendingA: number;
  /** Unit B's item waiting for its lead's sign-off. */
  pendingB: number;
  /** Unit B's item in the bureau's queue. */
  submittedB: number;
  /** An adopted (public) item of unit A. */
  adoptedA: number;
  /** A photo of a unit A item that reached the bureau but is not public (rejected). */
  photoHidden: number;
  /** A photo of unit A's draft. */
  photoDraft: number;
  /** A photo of an adopted item. */
  photoPublic: number;
  /** Unit B's withdrawn item (taken off the public pages), and a photo of it. */
  withdrawnB: number;
  photoWithdrawnB: number;
  /** A month that cannot be closed: unit A's queued item belongs to it. */
  waitingMonth: string;
  closedMonth: string;
  draftNotice: number;
  publishedNotice: number;
  publishedNoticeMonth: string;
  publishedSummaryYear: string;
  /** A 简报 the demo county published, and a draft the reviewer starts here. */
  publishedBulletin: number;
  draftBulletin: number;
  bulletinVersion(): Promise<string>;
  notificationA: number;
  word: number;
  pointsVersion: number;
  quotaVersion: number;
  /** An open 约稿 addressed to unit A only. */
  requestA: number;
  version(itemId: number): Promise<string>;
}

let portal: Portal;
let reader: Kysely<Database>;
const cookies = {} as Record<SignedIn, string>;
const fx = {} as Fixtures;

// ---------------------------------------------------------------------------------------------
// HTTP

type Body = Record<string, string> | FormData;

interface Answer {
  status: number;
  location: string;
}

const login = (username: string, password?: string) => signInOverHttp(portal.url, username, password);

async function request(method: "GET" | "POST", url: string, cookie: string | undefined, body?: Body): Promise<Answer & { response: Response }> {
  const headers: Record<string, string> = {};
  if (cookie) headers.Cookie = cookie;
  if (method === "POST") headers.Origin = portal.url;
  const response = await fetch(`${portal.url}${url}`, {
    method,
    redirect: "manual",
    headers,
    body: body === undefined ? undefined : body instanceof FormData ? body : new URLSearchParams(body),
  });
  if (isDataUrl(url) && response.status === SINGLE_FETCH_REDIRECT_STATUS) {
    const answer = await decodeSingleFetch(response.clone(), method);
    if (answer.kind !== "redirect") throw new Error(`${method} ${url}: 202 without a redirect`);
    return { status: 302, location: answer.redirect.redirect, response };
  }
  return { status: response.status, location: response.headers.get("location") ?? "", response };
}

/** The same request, drained: only the status and where it leads matter to the matrix. */
async function call(method: "GET" | "POST", url: string, cookie: string | undefined, body?: Body): Promise<Answer> {
  const { status, location, response } = await request(method, url, cookie, body);
  await response.arrayBuffer();
  return { status, location };
}

/** A route's loader data, as the page's JavaScript reads it (`.data` for that route alone). */
async function loaderData<T>(url: string, file: string, who: SignedIn): Promise<T> {
  const { status, response } = await request("GET", withData(url, file), cookies[who]);
  if (status !== 200) throw new Error(`${url} as ${who}: ${status}`);
  return loaderDataOf<T>(response, routeIdOf(file));
}

const isDataUrl = (url: string) => /\.data(\?|$)/.test(url);

/**
 * The request the page's JavaScript sends: a GET asks for the route's own loader (`_routes`), a
 * POST goes to the page's `.data` address and runs its action.
 */
const withData = (url: string, file: string, method: "GET" | "POST" = "GET") =>
  method === "GET" ? dataUrl(url, routeIdOf(file)) : dataUrl(url);

// ---------------------------------------------------------------------------------------------
// Forms

type FormFn = (f: Fixtures, who: Who) => Body | Promise<Body>;

/** Allowed roles get `incomplete` (expected 400: validated, refused, nothing written); others `complete`. */
const probe = (allowed: Who[], incomplete: FormFn, complete: FormFn): FormFn => (f, who) =>
  allowed.includes(who) ? incomplete(f, who) : complete(f, who);

/** A complete, valid item form of unit A's (category, channel and date real; today's event). */
const itemForm = (f: Fixtures, extra: Record<string, string> = {}): Record<string, string> => ({
  title: "城关镇中心学校开展秋季消防安全演练",
  body: "近日，城关镇中心学校组织全体师生开展消防安全疏散演练。\n\n演练结束后，学校对全体师生进行了消防知识培训。",
  category_id: String(f.category),
  channel_id: String(f.channel),
  event_date: today(),
  confidential_checked: "1",
  ...extra,
});
const INCOMPLETE_ITEM = { title: "", body: "" };

// ---------------------------------------------------------------------------------------------
// The matrix

interface View {
  /** What is asked for, for the report. */
  name: string;
  url: (f: Fixtures) => string;
  expect: Expect;
  /** The `.data` request's expectations, when they differ from the document's. */
  data?: Expect;
  /** Where an anonymous visitor's 302 leads (default: the login page, and back). */
  anonymousTo?: string;
}

interface ActionCase {
  /** The intent posted; "" for an action that takes none. */
  intent: string;
  /** What this case tries, for the report. */
  name?: string;
  /** Defaults to the row's first view's URL. */
  url?: (f: Fixtures) => string;
  form: FormFn;
  expect: Expect;
  /** The `.data` POST's expectations, when they differ from the document POST's. */
  data?: Expect;
  /** Signs each role in afresh for this case (it signs out or rotates the session). */
  freshSession?: boolean;
  anonymousTo?: string;
  /** An intent the action does not handle, tried on purpose. */
  unhandled?: boolean;
}

interface Row {
  views: View[];
  actions?: ActionCase[];
}

const item = (id: (f: Fixtures) => number) => (f: Fixtures) => `/items/${id(f)}`;
/** A post to the page of fixture item `key` with its current version, and `more` (which may depend on who posts). */
const onItem = (
  key: "draftA" | "pendingA" | "pendingB" | "scratchDraftA" | "submittedA",
  more: (who: Who) => Record<string, string> = () => ({}),
): Pick<ActionCase, "url" | "form"> => ({
  url: item((f) => f[key]),
  form: async (f, who) => ({ version: await f.version(f[key]), ...more(who) }),
});
const review = (id: (f: Fixtures) => number) => (f: Fixtures) => `/review/${id(f)}`;

const MATRIX: Record<string, Row> = {
  "_index.tsx": { views: [{ name: "home", url: () => "/", expect: everyone(200) }] },
  "$.tsx": {
    views: [{ name: "an unknown address", url: () => "/no-such-page", expect: everyone(404) }],
    actions: [{ intent: "", name: "post to an unknown address", form: () => ({ title: "x" }), expect: everyone(404) }],
  },
  "login.tsx": {
    views: [{ name: "login page", url: () => "/login", expect: tweak(everyone(302), { anonymous: 200 }) }],
    actions: [
      // Refused with 400; a document POST then renders the page, whose loader sends a signed-in
      // person home.
      {
        intent: "",
        name: "no password",
        form: (_f, who) => ({ username: who === "anonymous" ? "x01-c2" : USERNAMES[who] }),
        expect: tweak(everyone(302), { anonymous: 400 }),
        data: everyone(400),
      },
      {
        intent: "",
        name: "own credentials",
        form: (_f, who) => ({ username: who === "anonymous" ? "x01-c2" : USERNAMES[who], password: DEMO_PASSWORD }),
        expect: everyone(302),
        freshSession: true,
        anonymousTo: "/",
      },
    ],
  },
  "logout.tsx": {
    views: [{ name: "GET goes home", url: () => "/logout", expect: everyone(302), anonymousTo: "/" }],
    actions: [{ intent: "", name: "sign out", form: () => ({}), expect: everyone(302), freshSession: true, anonymousTo: "/login" }],
  },
  "healthz.ts": { views: [{ name: "health check", url: () => "/healthz", expect: everyone(200) }] },
  "account.password.tsx": {
    views: [{ name: "own password", url: () => "/account/password", expect: signedIn(200) }],
    actions: [{ intent: "", name: "without the new password", form: () => ({ current_password: DEMO_PASSWORD }), expect: signedIn(400) }],
  },

  // ---- items: a unit's own work
  "items._index.tsx": { views: [{ name: "own unit's items", url: () => "/items", expect: only(["correspondentA", "correspondentB", "leadA"]) }] },
  "items.new.tsx": {
    views: [{ name: "new item form", url: () => "/items/new", expect: only(["correspondentA", "correspondentB"]) }],
    actions: ITEM_INTENTS.map((intent) => ({
      intent,
      form: probe(["correspondentA", "correspondentB"], () => INCOMPLETE_ITEM, (f) => itemForm(f)),
      expect: only(["correspondentA", "correspondentB"], 400),
    })),
  },
  "items.$id.tsx": {
    views: [
      { name: "unit A's queued item", url: item((f) => f.submittedA), expect: only(["correspondentA", "leadA", "reviewer"]) },
      { name: "unit A's draft", url: item((f) => f.draftA), expect: only(["correspondentA", "leadA"]) },
      { name: "unit B's queued item", url: item((f) => f.submittedB), expect: only(["correspondentB", "reviewer"]) },
      // Another school reads it as the public does: its news page, without the review record.
      { name: "an adopted item", url: item((f) => f.adoptedA), expect: tweak(signedIn(200), { correspondentB: 302 }) },
    ],
    actions: [
      {
        intent: "submit",
        name: "unit A's draft (A: without 涉密自查)",
        ...onItem("draftA", (who): Record<string, string> => (who === "correspondentA" ? {} : { confidential_checked: "1" })),
        expect: only(["correspondentA"], 400),
      },
      {
        intent: "send_back",
        name: "unit A's pending item (lead: without a reason)",
        ...onItem("pendingA", (who): Record<string, string> => (who === "leadA" ? {} : { reason: "请补充活动照片。" })),
        expect: only(["leadA"], 400),
      },
      // Only unit A's correspondents may take it back; from a stale page even they get 409.
      {
        intent: "recall",
        name: "unit A's pending item (A: from a stale page)",
        url: item((f) => f.pendingA),
        form: probe(["correspondentA"], () => ({ version: "999999" }), async (f) => ({ version: await f.version(f.pendingA) })),
        expect: only(["correspondentA"], 409),
      },
      {
        intent: "sign_off",
        name: "unit A's pending item",
        ...onItem("pendingA"),
        expect: only(["leadA"], 302),
      },
      {
        intent: "sign_off",
        name: "unit B's pending item",
        ...onItem("pendingB"),
        expect: only([]),
      },
      {
        intent: "send_back",
        name: "unit B's pending item",
        ...onItem("pendingB", () => ({ reason: "请补充活动照片。" })),
        expect: only([]),
      },
      {
        intent: "delete",
        name: "a draft of unit A's",
        ...onItem("scratchDraftA"),
        expect: only(["correspondentA"], 302),
      },
      {
        intent: "adopt",
        name: "a review decision posted to the unit's item page",
        ...onItem("submittedA", () => ({ grade: "excellent" })),
        expect: signedIn(400),
        unhandled: true,
      },
      {
        // 申诉: the unit's lead without a reason is 400; everyone else is not a lead of the unit.
        intent: "appeal",
        url: item((f) => f.adoptedA),
        form: probe(["leadA"], () => ({ subject: "grade" }), () => ({ subject: "grade", reason: "请复核等次。" })),
        expect: only(["leadA"], 400),
      },
    ],
  },
  "items.$id_.edit.tsx": {
    views: [
      { name: "unit A's draft", url: (f) => `/items/${f.draftA}/edit`, expect: only(["correspondentA"]) },
      // A queued item is no longer editable: its own correspondent is sent to the item.
      { name: "unit A's queued item", url: (f) => `/items/${f.submittedA}/edit`, expect: only(["correspondentA"], 302) },
    ],
    actions: [
      ...ITEM_INTENTS.map((intent) => ({
        intent,
        name: "unit A's draft",
        form: probe(["correspondentA"], () => INCOMPLETE_ITEM, async (f) => itemForm(f, { version: await f.version(f.draftA) })),
        expect: only(["correspondentA"], 400),
      })),
      // Once in the bureau's queue the item is fixed, even for its own correspondent: refused with
      // 409; a document POST then lands on the item's page (the edit page's loader sends it there).
      {
        intent: "save",
        name: "unit A's queued item",
        url: (f: Fixtures) => `/items/${f.submittedA}/edit`,
        form: async (f: Fixtures) => itemForm(f, { version: await f.version(f.submittedA) }),
        expect: only(["correspondentA"], 302),
        data: only(["correspondentA"], 409),
      },
    ],
  },
  // A photo of an item nobody may see is "not found", never "forbidden".
  "photos.$id.tsx": {
    views: [
      {
        name: "photo of unit A's rejected item",
        url: (f) => `/photos/${f.photoHidden}`,
        expect: tweak(everyone(404), { correspondentA: 200, leadA: 200, reviewer: 200 }),
      },
      { name: "photo of unit A's draft", url: (f) => `/photos/${f.photoDraft}`, expect: tweak(everyone(404), { correspondentA: 200, leadA: 200 }) },
      {
        name: "photo of unit B's withdrawn item",
        url: (f) => `/photos/${f.photoWithdrawnB}`,
        expect: tweak(everyone(404), { correspondentB: 200, reviewer: 200 }),
      },
      { name: "photo of an adopted item", url: (f) => `/photos/${f.photoPublic}`, expect: everyone(200) },
    ],
  },
  "photos.$id.thumb.tsx": {
    views: [
      {
        name: "thumbnail of unit A's rejected item's photo",
        url: (f) => `/photos/${f.photoHidden}/thumb`,
        expect: tweak(everyone(404), { correspondentA: 200, leadA: 200, reviewer: 200 }),
      },
      {
        name: "thumbnail of unit A's draft's photo",
        url: (f) => `/photos/${f.photoDraft}/thumb`,
        expect: tweak(everyone(404), { correspondentA: 200, leadA: 200 }),
      },
      { name: "thumbnail of an adopted item's photo", url: (f) => `/photos/${f.photoPublic}/thumb`, expect: everyone(200) },
    ],
  },

  // ---- the bureau's review
  "review._index.tsx": {
    views: [{ name: "review queue", url: () => "/review", expect: only(["reviewer"]) }],
    actions: [
      {
        intent: "bulk_adopt",
        name: "unit A's queued item (reviewer: without a grade)",
        url: () => "/review?index",
        form: probe(["reviewer"], async (f) => ({ ids: `${f.submittedA}:${await f.version(f.submittedA)}` }), async (f) => ({
          ids: `${f.submittedA}:${await f.version(f.submittedA)}`, grade: "excellent",
        })),
        expect: only(["reviewer"], 400),
      },
      {
        intent: "bulk_return",
        name: "unit A's queued item (reviewer: without a reason)",
        url: () => "/review?index",
        form: probe(["reviewer"], async (f) => ({ ids: `${f.submittedA}:${await f.version(f.submittedA)}` }), async (f) => ({
          ids: `${f.submittedA}:${await f.version(f.submittedA)}`, reason: "请补充活动的具体时间。",
        })),
        expect: only(["reviewer"], 400),
      },
    ],
  },
  "review.$id.tsx": {
    views: [
      { name: "unit A's queued item", url: review((f) => f.submittedA), expect: only(["reviewer"]) },
      // A school's draft is not the bureau's to see.
      { name: "unit A's draft", url: review((f) => f.draftA), expect: only(["reviewer"], 404) },
    ],
    actions: [
      {
        intent: "adopt",
        url: review((f) => f.submittedA),
        form: probe(["reviewer"], async (f) => ({ version: await f.version(f.submittedA) }), async (f) => ({
          version: await f.version(f.submittedA), grade: "excellent",
        })),
        expect: only(["reviewer"], 400),
      },
      {
        intent: "return",
        url: review((f) => f.submittedA),
        form: probe(["reviewer"], async (f) => ({ version: await f.version(f.submittedA) }), async (f) => ({
          version: await f.version(f.submittedA), reason: "请补充活动的具体时间。",
        })),
        expect: only(["reviewer"], 400),
      },
      {
        intent: "reject",
        url: review((f) => f.submittedA),
        form: probe(["reviewer"], async (f) => ({ version: await f.version(f.submittedA) }), async (f) => ({
          version: await f.version(f.submittedA), reason: "内容与已采用稿件重复。",
        })),
        expect: only(["reviewer"], 400),
      },
      {
        intent: "pickup",
        url: review((f) => f.adoptedA),
        form: probe(["reviewer"], () => ({ outlet: "县融媒体中心" }), () => ({
          outlet: "县融媒体中心", tier: "national", picked_on: today(), url: "https://example.org/a",
        })),
        expect: only(["reviewer"], 400),
      },
      {
        intent: "instruction",
        url: review((f) => f.adoptedA),
        form: probe(["reviewer"], () => ({ leader: "县长" }), () => ({
          level: "province", leader: "县长", content: "经验做法值得推广。", instructed_on: today(),
        })),
        expect: only(["reviewer"], 400),
      },
      {
        intent: "withdraw",
        url: review((f) => f.adoptedA),
        form: probe(["reviewer"], async (f) => ({ version: await f.version(f.adoptedA) }), async (f) => ({
          version: await f.version(f.adoptedA), reason: "稿件内容有误。", revoke_points: "1",
        })),
        expect: only(["reviewer"], 400),
      },
      // Corrections and appeal answers: the reviewer's incomplete form is 400; nobody else gets past the guard.
      {
        intent: "regrade",
        url: review((f) => f.adoptedA),
        form: probe(["reviewer"], async (f) => ({ version: await f.version(f.adoptedA), grade: "excellent" }), async (f) => ({
          version: await f.version(f.adoptedA), grade: "fair", reason: "复核",
        })),
        expect: only(["reviewer"], 400),
      },
      {
        intent: "remove_pickup",
        url: review((f) => f.adoptedA),
        form: probe(["reviewer"], () => ({ record_id: "1" }), () => ({ record_id: "1", reason: "未刊发" })),
        expect: only(["reviewer"], 400),
      },
      {
        intent: "remove_instruction",
        url: review((f) => f.adoptedA),
        form: probe(["reviewer"], () => ({ record_id: "1" }), () => ({ record_id: "1", reason: "未批示" })),
        expect: only(["reviewer"], 400),
      },
      {
        intent: "clear_late",
        url: review((f) => f.adoptedA),
        form: probe(["reviewer"], async (f) => ({ version: await f.version(f.adoptedA) }), async (f) => ({
          version: await f.version(f.adoptedA), reason: "日期填错",
        })),
        expect: only(["reviewer"], 400),
      },
      {
        intent: "answer_appeal",
        url: review((f) => f.adoptedA),
        form: probe(["reviewer"], () => ({ appeal_id: "1", answer: "维持" }), () => ({ appeal_id: "1", outcome: "upheld", answer: "维持" })),
        expect: only(["reviewer"], 400),
      },
    ],
  },

  // ---- months, notices, summaries
  "months._index.tsx": {
    views: [{ name: "month closing", url: () => "/months", expect: only(["reviewer"]) }],
    actions: [
      // Refused by rule while an item of the month waits: 409, nothing written.
      { intent: "close", name: "a month with a queued item", url: () => "/months?index", form: (f) => ({ month: f.waitingMonth }), expect: only(["reviewer"], 409) },
      {
        intent: "reopen",
        url: () => "/months?index",
        form: probe(["reviewer"], (f) => ({ month: f.closedMonth }), (f) => ({ month: f.closedMonth, reason: "核对积分" })),
        expect: only(["reviewer"], 400),
      },
    ],
  },
  "months.$month.tsx": { views: [{ name: "a closed month", url: (f) => `/months/${f.closedMonth}`, expect: only(["reviewer"]) }] },
  // Closing is confirmed on a page of its own; refused by rule while an item of the month waits.
  "months.$month_.close.tsx": {
    views: [
      { name: "a month with a queued item", url: (f) => `/months/${f.waitingMonth}/close`, expect: only(["reviewer"]) },
      { name: "a closed month", url: (f) => `/months/${f.closedMonth}/close`, expect: only(["reviewer"]) },
    ],
    actions: [{ intent: "close", name: "a month with a queued item", form: () => ({}), expect: only(["reviewer"], 409) }],
  },
  "notices._index.tsx": {
    views: [{ name: "notices", url: () => "/notices", expect: everyone(200) }],
    actions: [
      // The month has a notice already: refused by rule, 409.
      { intent: "draft", name: "a month that has its notice", url: () => "/notices?index", form: (f) => ({ month: f.publishedNoticeMonth }), expect: only(["reviewer"], 409) },
    ],
  },
  // A draft notice is the reviewers'; to everyone else it does not exist.
  "notices.$id.tsx": {
    views: [
      { name: "draft notice", url: (f) => `/notices/${f.draftNotice}`, expect: tweak(everyone(404), { reviewer: 200 }) },
      { name: "published notice", url: (f) => `/notices/${f.publishedNotice}`, expect: everyone(200) },
    ],
    actions: [
      {
        intent: "save",
        url: (f) => `/notices/${f.draftNotice}`,
        form: probe(["reviewer"], () => ({ addressee: "各学校" }), () => ({ addressee: "各学校", doc_number: "", opening_text: "现将情况通报如下。", closing_text: "" })),
        expect: only(["reviewer"], 400),
      },
      {
        intent: "adjust",
        url: (f) => `/notices/${f.draftNotice}`,
        form: probe(["reviewer"], () => ({ list: "commended" }), (f) => ({ list: "commended", action: "add", unit_id: String(f.units.A), reason: "表现突出" })),
        expect: only(["reviewer"], 400),
      },
      {
        intent: "publish",
        url: (f) => `/notices/${f.draftNotice}`,
        form: probe(["reviewer"], () => ({}), () => ({ signer_name: "李晓梅" })),
        expect: only(["reviewer"], 400),
      },
    ],
  },
  // 签发 confirmed on its own page: the reviewers'.
  "notices.$id_.publish.tsx": {
    views: [{ name: "draft notice", url: (f) => `/notices/${f.draftNotice}/publish`, expect: only(["reviewer"]) }],
    actions: [
      {
        intent: "publish",
        name: "draft notice (reviewer: without a signer)",
        form: probe(["reviewer"], () => ({ signer_name: "" }), () => ({ signer_name: "李晓梅" })),
        expect: only(["reviewer"], 400),
      },
    ],
  },
  // 简报: the list, published issues and their Word files are public; a draft, its editor and its
  // 签发 page are the reviewers' (a draft is 404 to everyone else, its Word preview too).
  "bulletins._index.tsx": { views: [{ name: "bulletins", url: () => "/bulletins", expect: everyone(200) }] },
  "bulletins.new.tsx": {
    views: [{ name: "new bulletin", url: () => "/bulletins/new", expect: only(["reviewer"]) }],
    // Starting a draft has nothing to validate: the reviewer's post makes one (and is sent to its editor).
    actions: [{ intent: "create", form: () => ({}), expect: only(["reviewer"], 302) }],
  },
  "bulletins.$id.tsx": {
    views: [
      { name: "draft bulletin", url: (f) => `/bulletins/${f.draftBulletin}`, expect: tweak(everyone(404), { reviewer: 200 }) },
      { name: "published bulletin", url: (f) => `/bulletins/${f.publishedBulletin}`, expect: everyone(200) },
    ],
  },
  "bulletins.$id_.edit.tsx": {
    views: [{ name: "draft bulletin", url: (f) => `/bulletins/${f.draftBulletin}/edit`, expect: only(["reviewer"]) }],
    actions: (["save", "add", "remove", "up", "down"] as const).map((intent) => ({
      intent,
      name: "draft bulletin (reviewer: without a version)",
      form: probe(["reviewer"], () => ({}), async (f) => ({
        version: await f.bulletinVersion(), item_id: String(f.adoptedA), number: "99", name: "临溪县教育信息", issue_date: today(), editor_unit: "办公室",
      })),
      expect: only(["reviewer"], 400),
    })),
  },
  "bulletins.$id_.publish.tsx": {
    views: [{ name: "draft bulletin", url: (f) => `/bulletins/${f.draftBulletin}/publish`, expect: only(["reviewer"]) }],
    actions: [
      {
        intent: "publish",
        name: "draft bulletin (reviewer: without a version)",
        form: probe(["reviewer"], () => ({}), async (f) => ({ version: await f.bulletinVersion() })),
        expect: only(["reviewer"], 400),
      },
    ],
  },
  "bulletins.$id.export.ts": {
    views: [
      { name: "published bulletin's Word file", url: (f) => `/bulletins/${f.publishedBulletin}/export?format=docx`, expect: everyone(200) },
      { name: "draft bulletin's Word preview", url: (f) => `/bulletins/${f.draftBulletin}/export?format=docx`, expect: tweak(everyone(404), { reviewer: 200 }) },
    ],
  },
  "notices.$id.export.ts": {
    views: [
      { name: "published notice's Word file", url: (f) => `/notices/${f.publishedNotice}/export?format=docx`, expect: everyone(200) },
      { name: "draft notice's Word file", url: (f) => `/notices/${f.draftNotice}/export?format=docx`, expect: everyone(404) },
      // The lists to check, with the units passed over for 表扬: the reviewers', draft or signed.
      { name: "published notice's lists", url: (f) => `/notices/${f.publishedNotice}/export?format=xlsx`, expect: only(["reviewer"]) },
      { name: "draft notice's lists", url: (f) => `/notices/${f.draftNotice}/export?format=xlsx`, expect: only(["reviewer"]) },
    ],
  },
  "summary.$year.tsx": {
    views: [
      { name: "a published year-end summary", url: (f) => `/summary/${f.publishedSummaryYear}`, expect: everyone(200) },
      // This year's, not yet drafted: the reviewers' preview; nobody else's business yet.
      { name: "this year's preview", url: () => `/summary/${THIS_YEAR}`, expect: tweak(everyone(404), { reviewer: 200 }) },
    ],
    actions: [
      // The year is not over: refused by rule.
      { intent: "draft", name: "this year, not over", url: () => `/summary/${THIS_YEAR}`, form: () => ({}), expect: only(["reviewer"], 409) },
      ...(["save", "adjust", "publish"] as const).map((intent) => ({
        intent,
        name: "the published summary (reviewer: incomplete form)",
        url: (f: Fixtures) => `/summary/${f.publishedSummaryYear}`,
        form: probe(["reviewer"], () => ({}), (f) => ({
          addressee: "各学校", opening_text: "现将情况通报如下。", list: "commended", action: "add", unit_id: String(f.units.A),
          reason: "表现突出", signer_name: "李晓梅",
        })),
        expect: only(["reviewer"], 400),
      })),
    ],
  },
  "summary.$year.export.ts": {
    views: [
      { name: "published summary as Excel", url: (f) => `/summary/${f.publishedSummaryYear}/export?format=xlsx`, expect: everyone(200) },
      { name: "this year's preview as Excel", url: () => `/summary/${THIS_YEAR}/export?format=xlsx`, expect: tweak(everyone(404), { reviewer: 200 }) },
    ],
  },

  // ---- news and league tables
  "news._index.tsx": { views: [{ name: "news", url: () => "/news", expect: everyone(200) }] },
  "news.$id.tsx": {
    views: [
      { name: "an adopted item", url: (f) => `/news/${f.adoptedA}`, expect: everyone(200) },
      { name: "an item in the queue", url: (f) => `/news/${f.submittedA}`, expect: everyone(404) },
      { name: "a withdrawn item", url: (f) => `/news/${f.withdrawnB}`, expect: everyone(404) },
    ],
  },
  "rankings._index.tsx": { views: [{ name: "league tables (to this month)", url: () => "/rankings", expect: everyone(302) }] },
  "rankings.$period.tsx": { views: [{ name: "this month's table", url: () => `/rankings/${THIS_MONTH}`, expect: signedIn(200) }] },
  "rankings.$period.export.ts": { views: [{ name: "this month's table as CSV", url: () => `/rankings/${THIS_MONTH}/export?format=csv`, expect: signedIn(200) }] },

  // ---- register and reminders
  "register._index.tsx": {
    views: [{ name: "register (to this year)", url: () => "/register", expect: tweak(signedIn(302), { correspondentA: 403, correspondentB: 403 }) }],
  },
  "register.$year.tsx": {
    views: [{ name: "this year's register", url: () => `/register/${THIS_YEAR}`, expect: only(["leadA", "reviewer", "admin"]) }],
    actions: [
      {
        intent: "",
        name: "a person of unit A (lead: no person chosen)",
        form: probe(["leadA"], () => ({ phone: "13800000001" }), (f) => ({
          account_id: String(f.accounts.correspondentA), phone: "13800000001", registered_on: `${THIS_YEAR}-03-01`,
        })),
        expect: only(["leadA"], 400),
      },
      {
        intent: "",
        name: "a person of unit B",
        form: (f) => ({ account_id: String(f.accounts.correspondentB), phone: "13800000002", registered_on: `${THIS_YEAR}-03-01` }),
        expect: only([]),
      },
    ],
  },
  "register.$year.export.ts": {
    views: [{ name: "this year's register as Excel", url: () => `/register/${THIS_YEAR}/export?format=xlsx`, expect: only(["leadA", "reviewer", "admin"]) }],
  },
  "reminders.tsx": {
    views: [{ name: "reminders", url: () => "/reminders", expect: only(["correspondentA", "correspondentB", "leadA", "reviewer"]) }],
    actions: [
      {
        intent: "",
        name: "remind unit B",
        form: probe(["reviewer"], () => ({ reason: "请尽快报送。" }), (f) => ({ unit_id: String(f.units.B), reason: "请尽快报送。" })),
        expect: only(["reviewer"], 400),
      },
    ],
  },
  // ---- 约稿: the reviewer issues and cancels; unit A (addressed) reads and declines; unit B does not see it.
  "requests._index.tsx": {
    views: [{ name: "requests", url: () => "/requests", expect: only(["correspondentA", "correspondentB", "leadA", "reviewer"]) }],
  },
  "requests.new.tsx": {
    views: [{ name: "new request", url: () => "/requests/new", expect: only(["reviewer"]) }],
    actions: [
      {
        intent: "",
        name: "a request to unit B",
        form: probe(["reviewer"], () => ({ topic: "", due_date: "" }), (f) => ({ topic: "防溺水", due_date: `${Number(THIS_YEAR) + 1}-01-10`, due_time: "17:00", unit_ids: String(f.units.B) })),
        expect: only(["reviewer"], 400),
      },
    ],
  },
  "requests.$id.tsx": {
    views: [{ name: "unit A's request", url: (f) => `/requests/${f.requestA}`, expect: tweak(only(["correspondentA", "leadA", "reviewer"]), { correspondentB: 404 }) }],
    actions: [
      {
        intent: "decline",
        name: "decline unit A's request (unit B: not addressed)",
        url: (f) => `/requests/${f.requestA}`,
        form: probe(["correspondentA", "leadA"], () => ({ reason: "太忙" }), () => ({ reason: "本月没有相关活动可写" })),
        expect: only(["correspondentA", "leadA"], 400),
      },
      {
        intent: "cancel",
        name: "cancel unit A's request",
        url: (f) => `/requests/${f.requestA}`,
        form: probe(["reviewer"], () => ({ reason: "" }), () => ({ reason: "安排有变" })),
        expect: only(["reviewer"], 400),
      },
    ],
  },
  "appeals.tsx": {
    views: [{ name: "appeals", url: () => "/appeals", expect: only(["correspondentA", "correspondentB", "leadA", "reviewer"]) }],
  },
  "themes.tsx": {
    views: [{ name: "报送要点 of this month", url: () => `/themes?month=${THIS_MONTH}`, expect: only(["reviewer", "admin"]) }],
    actions: [
      // Allowed roles send an incomplete form (no title): 400, nothing written.
      { intent: "create", form: probe(["reviewer", "admin"], () => ({ month: THIS_MONTH }), () => ({ month: THIS_MONTH, title: "越权要点", guidance: "" })), expect: only(["reviewer", "admin"], 400) },
      { intent: "update", form: probe(["reviewer", "admin"], () => ({ id: "999999999" }), () => ({ id: "999999999", title: "越权修改" })), expect: only(["reviewer", "admin"], 400) },
      { intent: "delete", form: probe(["reviewer", "admin"], () => ({ id: "999999999" }), () => ({ id: "999999999" })), expect: only(["reviewer", "admin"], 404) },
    ],
  },
  "notifications.tsx": {
    views: [{ name: "own notifications", url: () => "/notifications", expect: signedIn(200) }],
    actions: [
      // Someone else's notification does not exist for you.
      { intent: "read", name: "correspondent A's notification", form: (f) => ({ id: String(f.notificationA) }), expect: tweak(signedIn(404), { correspondentA: 302 }) },
      { intent: "read_all", form: () => ({}), expect: signedIn(302) },
    ],
  },

  // ---- administration
  // /admin: the admin to 系统设置, the others refused as on every admin page.
  "admin._index.tsx": { views: [{ name: "admin (to the settings)", url: () => "/admin", expect: only(["admin"], 302) }] },
  "admin.units._index.tsx": { views: [{ name: "units", url: () => "/admin/units", expect: only(["admin"]) }] },
  "admin.units.new.tsx": {
    views: [{ name: "new unit", url: () => "/admin/units/new", expect: only(["admin"]) }],
    actions: [
      {
        intent: "",
        form: probe(["admin"], () => ({ name: "测试学校" }), () => ({ code: "T99", name: "测试学校", township: "城关镇", kind: "district_school", signoff_required: "1" })),
        expect: only(["admin"], 400),
      },
    ],
  },
  "admin.units.$id.tsx": {
    views: [{ name: "unit A", url: (f) => `/admin/units/${f.units.A}`, expect: only(["admin"]) }],
    actions: [
      {
        intent: "save",
        url: (f) => `/admin/units/${f.units.spare}`,
        form: probe(["admin"], () => ({ name: "" }), () => ({ code: "Q15", name: "改名学校", township: "城区", kind: "district_school", signoff_required: "1" })),
        expect: only(["admin"], 400),
      },
      // On a unit kept for this: stopped, then started again.
      { intent: "deactivate", url: (f) => `/admin/units/${f.units.spare}`, form: () => ({}), expect: only(["admin"], 302) },
      { intent: "reactivate", url: (f) => `/admin/units/${f.units.spare}`, form: () => ({}), expect: only(["admin"], 302) },
    ],
  },
  "admin.accounts._index.tsx": { views: [{ name: "accounts", url: () => "/admin/accounts", expect: only(["admin"]) }] },
  "admin.audit.tsx": { views: [{ name: "operations log", url: () => "/admin/audit", expect: only(["reviewer", "admin"]) }] },
  "admin.audit.export.ts": {
    views: [{ name: "operations log as CSV", url: () => "/admin/audit/export?format=csv", expect: only(["reviewer", "admin"]) }],
  },
  "admin.accounts.new.tsx": {
    views: [{ name: "new account", url: () => "/admin/accounts/new", expect: only(["admin"]) }],
    actions: [
      {
        intent: "",
        form: probe(["admin"], () => ({ username: "x01-c9" }), (f) => ({
          username: "x01-c9", display_name: "王新", phone: "", role: "correspondent", unit_id: String(f.units.A), password: "Xinxi@2026abc",
        })),
        expect: only(["admin"], 400),
      },
    ],
  },
  "admin.accounts.$id.tsx": {
    views: [{ name: "correspondent A's account", url: (f) => `/admin/accounts/${f.accounts.correspondentA}`, expect: only(["admin"]) }],
    actions: [
      {
        intent: "save",
        url: (f) => `/admin/accounts/${f.accounts.spare}`,
        form: probe(["admin"], () => ({ display_name: "" }), (f) => ({
          display_name: "改名", phone: "", role: "school_lead", unit_id: String(f.units.A),
        })),
        expect: only(["admin"], 400),
      },
      {
        intent: "reset_password",
        url: (f) => `/admin/accounts/${f.accounts.spare}`,
        form: probe(["admin"], () => ({}), () => ({ password: "Reset@2026xyz" })),
        expect: only(["admin"], 400),
      },
      // On an account kept for this: stopped, then started again.
      { intent: "deactivate", url: (f) => `/admin/accounts/${f.accounts.spare}`, form: () => ({}), expect: only(["admin"], 302) },
      { intent: "reactivate", url: (f) => `/admin/accounts/${f.accounts.spare}`, form: () => ({}), expect: only(["admin"], 302) },
    ],
  },
  "admin.import.tsx": {
    views: [{ name: "import", url: () => "/admin/import", expect: only(["admin"]) }],
    actions: [
      {
        intent: "",
        name: "no file chosen",
        form: () => {
          const form = new FormData();
          form.set("kind", "units");
          return form;
        },
        expect: only(["admin"], 400),
      },
    ],
  },
  "admin.import.template.tsx": { views: [{ name: "import template", url: () => "/admin/import/template?kind=units", expect: only(["admin"]) }] },
  "admin.rules.tsx": {
    views: [{ name: "quotas and points", url: () => "/admin/rules", expect: only(["admin"]) }],
    actions: [
      ...(["create_points", "update_points", "create_quota", "update_quota", "set_override", "update_override"] as const).map((intent) => ({
        intent,
        form: probe(["admin"], (f: Fixtures) => ({
          version_id: String(intent === "update_points" ? f.pointsVersion : f.quotaVersion),
          override_id: "1",
        }), (f: Fixtures) => ({
          version_id: String(intent === "update_points" ? f.pointsVersion : f.quotaVersion), override_id: "1",
          effective_month: THIS_MONTH, unit_id: String(f.units.A), quota: "99", reason: "试点", note: "",
        })),
        expect: only(["admin"], 400),
      })),
    ],
  },
  "admin.settings.tsx": {
    views: [{ name: "settings, categories and channels", url: () => "/admin/settings", expect: only(["admin"]) }],
    actions: [
      // The admin's forms fail validation (a count that is not a number; no list named), so nothing changes.
      {
        intent: "save_settings",
        form: probe(["admin"], () => ({ commendTopN: "abc", effective_month: THIS_MONTH }), () => ({ countyName: "越权县", noticeDocPrefix: "越权" })),
        expect: only(["admin"], 400),
      },
      // 撤回 of a version that begins next month: the admin's names no setting with versions.
      {
        intent: "withdraw_setting",
        form: probe(["admin"], () => ({ key: "countyName", effective_month: THIS_MONTH, shown: "越权县" }), () => ({
          key: "commendTopN", effective_month: addMonths(THIS_MONTH, 1), shown: "3",
        })),
        expect: only(["admin"], 400),
      },
      { intent: "catalog_add", form: probe(["admin"], () => ({ name: "测试栏目" }), () => ({ kind: "category", name: "测试栏目" })), expect: only(["admin"], 400) },
      ...(["catalog_rename", "catalog_up", "catalog_down", "catalog_deactivate", "catalog_reactivate", "catalog_delete"] as const).map((intent) => ({
        intent,
        form: probe(["admin"], (f: Fixtures) => ({ id: String(f.category), name: "测试改名" }), (f: Fixtures) => ({
          kind: "category", id: String(f.category), name: "测试改名",
        })),
        expect: only(["admin"], 400),
      })),
    ],
  },
  "admin.words.tsx": {
    views: [{ name: "sensitive-word lexicon", url: () => "/admin/words", expect: only(["admin"]) }],
    actions: [
      { intent: "add", form: probe(["admin"], () => ({ level: "block" }), () => ({ word: "测试禁用词", level: "block", note: "" })), expect: only(["admin"], 400) },
      { intent: "update", form: probe(["admin"], (f) => ({ id: String(f.word) }), (f) => ({ id: String(f.word), level: "warn", note: "" })), expect: only(["admin"], 400) },
      // The admin is sent a word that does not exist: 404 shows the check passed, and nothing is deleted.
      { intent: "delete", form: probe(["admin"], () => ({ id: "999999999" }), (f) => ({ id: String(f.word) })), expect: only(["admin"], 404) },
      { intent: "bulk", form: probe(["admin"], () => ({ level: "warn" }), () => ({ words: "测试词甲\n测试词乙", level: "warn", note: "" })), expect: only(["admin"], 400) },
    ],
  },
};

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  portal = await startPortal({ AUTO_REMINDERS: "0" });
  const { databaseFile } = getConfig({ ...process.env, DATA_DIR: portal.dataDir, SESSION_SECRET: "read-only" });
  reader = new Kysely<Database>({ dialect: new Sqlite3ReaderDialect({ filename: databaseFile, size: 1 }) });
  for (const who of Object.keys(USERNAMES) as SignedIn[]) cookies[who] = await login(USERNAMES[who]);
  await findFixtures();
});
afterAll(async () => {
  await reader?.destroy();
  await portal?.stop();
});

async function one<T>(what: string, query: Promise<T | undefined>): Promise<T> {
  const row = await query;
  if (row === undefined) throw new Error(`fixture not found: ${what}`);
  return row;
}

async function findFixtures() {
  const db = reader;
  const unit = (code: string) => one(`unit ${code}`, db.selectFrom("units").select("id").where("code", "=", code).executeTakeFirst()).then((r) => r.id);
  const account = (username: string) =>
    one(`account ${username}`, db.selectFrom("accounts").select("id").where("username", "=", username).executeTakeFirst()).then((r) => r.id);
  const photoOf = (unitId: number, statuses: string[], reported: boolean, what: string) =>
    one(
      what,
      db
        .selectFrom("photos")
        .innerJoin("items", "items.id", "photos.item_id")
        .select("photos.id")
        .where("items.unit_id", "=", unitId)
        .where("items.status", "in", statuses as never[])
        .where("items.report_month", reported ? "is not" : "is", null)
        .orderBy("photos.id")
        .executeTakeFirst(),
    ).then((r) => r.id);

  fx.units = { A: await unit("X01"), B: await unit("X02"), spare: await unit("Q15") };
  fx.accounts = {
    correspondentA: await account("x01-c1"), correspondentB: await account("x02-c1"), leadA: await account("x01-lead"),
    reviewer: await account("reviewer"), admin: await account("admin"), spare: await account("x03-c1"),
  };
  fx.category = (await one("category", db.selectFrom("categories").select("id").where("active", "=", 1).orderBy("sort_order").executeTakeFirst())).id;
  fx.channel = (await one("channel", db.selectFrom("channels").select("id").where("active", "=", 1).orderBy("sort_order").executeTakeFirst())).id;
  fx.adoptedA = (await one(
    "unit A's adopted item with a photo",
    db
      .selectFrom("items")
      .innerJoin("photos", "photos.item_id", "items.id")
      .select("items.id")
      .where("items.unit_id", "=", fx.units.A)
      .where("items.status", "=", "adopted")
      .orderBy("items.id", "desc")
      .executeTakeFirst(),
  )).id;
  fx.photoHidden = await photoOf(fx.units.A, ["rejected"], true, "photo of unit A's rejected item");
  fx.photoWithdrawnB = await photoOf(fx.units.B, ["withdrawn"], true, "photo of unit B's withdrawn item");
  fx.withdrawnB = (await one("its item", db.selectFrom("photos").select("item_id").where("id", "=", fx.photoWithdrawnB).executeTakeFirst())).item_id;
  fx.photoPublic = (await one("photo of an adopted item", db.selectFrom("photos").select("id").where("item_id", "=", fx.adoptedA).executeTakeFirst())).id;
  const closes = await db.selectFrom("month_closes").select("month").where("reopened_at", "is", null).orderBy("month").execute();
  if (closes.length === 0) throw new Error("fixture not found: a closed month");
  fx.closedMonth = closes[closes.length - 1].month;
  const published = await one(
    "a published monthly notice",
    db.selectFrom("notices").select(["id", "period"]).where("kind", "=", "monthly").where("status", "=", "published").orderBy("id").executeTakeFirst(),
  );
  fx.publishedNotice = published.id;
  fx.publishedNoticeMonth = published.period;
  fx.publishedSummaryYear = (await one(
    "a published year-end summary",
    db.selectFrom("notices").select("period").where("kind", "=", "annual").where("status", "=", "published").executeTakeFirst(),
  )).period;
  fx.publishedBulletin = (await one(
    "a published bulletin",
    db.selectFrom("bulletins").select("id").where("status", "=", "published").orderBy("id").executeTakeFirst(),
  )).id;
  fx.word = (await one("a sensitive word", db.selectFrom("sensitive_words").select("id").orderBy("id").executeTakeFirst())).id;
  fx.pointsVersion = (await one("a points version", db.selectFrom("points_rule_versions").select("id").executeTakeFirst())).id;
  fx.quotaVersion = (await one("a quota version", db.selectFrom("quota_rule_versions").select("id").executeTakeFirst())).id;
  fx.version = async (itemId) =>
    String((await one(`item ${itemId}`, db.selectFrom("items").select("version").where("id", "=", itemId).executeTakeFirst())).version);

  // Made through the pages, by the roles that may.
  // Items waiting for their school's sign-off (the demo's share of these depends on the day).
  const submitAs = async (who: "correspondentA" | "correspondentB") =>
    idFrom(await call("POST", "/items/new", cookies[who], itemForm(fx, { intent: "submit" })), "/items/");
  fx.pendingA = await submitAs("correspondentA");
  fx.pendingB = await submitAs("correspondentB");
  const statusOf = async (id: number) => (await one(`item ${id}`, db.selectFrom("items").select("status").where("id", "=", id).executeTakeFirst())).status;
  for (const [id, what] of [[fx.pendingA, "A"], [fx.pendingB, "B"]] as const) {
    const status = await statusOf(id);
    if (status !== "pending_school") throw new Error(`unit ${what}'s new item is ${status}, not waiting for sign-off`);
  }
  // Unit B's item in the bureau's queue: B's lead (not one of the matrix's people) signs one off.
  const leadB = await login("x02-lead");
  fx.submittedB = await submitAs("correspondentB");
  const signed = await call("POST", `/items/${fx.submittedB}`, leadB, { intent: "sign_off", version: await fx.version(fx.submittedB) });
  if (signed.status !== 302 || (await statusOf(fx.submittedB)) !== "submitted") throw new Error(`unit B's item was not signed off: ${signed.status}`);
  // Unit A's item in the bureau's queue, the same way (the demo has one only on some days): A's lead signs it off.
  fx.submittedA = await submitAs("correspondentA");
  const signedA = await call("POST", `/items/${fx.submittedA}`, cookies.leadA, { intent: "sign_off", version: await fx.version(fx.submittedA) });
  if (signedA.status !== 302 || (await statusOf(fx.submittedA)) !== "submitted") throw new Error(`unit A's item was not signed off: ${signedA.status}`);
  // A month with an item in the queue: the earliest one (the demo's last month, when it has queued items; else this one).
  fx.waitingMonth = (await one(
    "queued item's month",
    db.selectFrom("items").select("report_month").where("status", "=", "submitted").where("report_month", "is not", null).orderBy("report_month").executeTakeFirst(),
  )).report_month!;
  // Unit A's draft with a photo (never reported, so its photo is the school's alone).
  const photo = new FormData();
  for (const [k, v] of Object.entries(itemForm(fx, { intent: "save" }))) photo.set(k, v);
  photo.set("photo_1", new Blob([new Uint8Array(await sharp({ create: { width: 320, height: 240, channels: 3, background: "#2a7" } }).jpeg().toBuffer())], { type: "image/jpeg" }), "draft.jpg");
  photo.set("caption_1", "活动现场");
  const drafted = await request("POST", dataUrl("/items/new"), cookies.correspondentA, photo);
  const draftBody = await drafted.response.text();
  if (drafted.status !== 302) throw new Error(`saving a draft with a photo: ${drafted.status} ${draftBody.slice(0, 300)}`);
  fx.draftA = idFrom(drafted, "/items/");
  fx.photoDraft = (await one("photo of unit A's draft", db.selectFrom("photos").select("id").where("item_id", "=", fx.draftA).executeTakeFirst())).id;
  // A notification of correspondent A's: the lead sends one of A's items back.
  const sentBack = await submitAs("correspondentA");
  const back = await call("POST", `/items/${sentBack}`, cookies.leadA, { intent: "send_back", version: await fx.version(sentBack), reason: "请补充活动照片。" });
  if (back.status !== 302) throw new Error(`sending back: ${back.status}`);
  fx.notificationA = (await one("a notification of correspondent A", db.selectFrom("notifications").select("id").where("account_id", "=", fx.accounts.correspondentA).orderBy("id", "desc").executeTakeFirst())).id;
  // A draft of unit A's to delete.
  const saved = await call("POST", "/items/new", cookies.correspondentA, itemForm(fx, { intent: "save", ...(await formToken()) }));
  fx.scratchDraftA = idFrom(saved, "/items/");
  // A draft notice: the reviewer closes the month before the county's first closed one (it has
  // nothing to wait for) and drafts its notice.
  const [y, m] = closes[0].month.split("-").map(Number);
  const early = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
  const closed = await call("POST", "/months?index", cookies.reviewer, { intent: "close", month: early });
  if (closed.status !== 302) throw new Error(`closing ${early}: ${closed.status}`);
  fx.draftNotice = idFrom(await call("POST", "/notices?index", cookies.reviewer, { intent: "draft", month: early }), "/notices/");
  fx.requestA = idFrom(
    await call("POST", "/requests/new", cookies.reviewer, { topic: "秋季运动会", due_date: `${Number(THIS_YEAR) + 1}-01-10`, due_time: "17:00", unit_ids: String(fx.units.A) }),
    "/requests/",
  );
  // A draft 简报, started by the reviewer.
  fx.draftBulletin = idFrom(await call("POST", "/bulletins/new", cookies.reviewer, { intent: "create" }), "/bulletins/");
  fx.bulletinVersion = async () =>
    String((await one("the draft bulletin", db.selectFrom("bulletins").select("version").where("id", "=", fx.draftBulletin).executeTakeFirst())).version);
}

/** The new-item form's one-time token, when the form carries one. */
async function formToken(): Promise<Record<string, string>> {
  const data = await loaderData<{ formToken?: string }>("/items/new", "items.new.tsx", "correspondentA");
  return data.formToken ? { form_token: data.formToken } : {};
}

function idFrom(answer: Answer, prefix: string): number {
  const m = new RegExp(`^${prefix}(\\d+)`).exec(answer.location);
  if (answer.status !== 302 || !m) throw new Error(`expected a redirect to ${prefix}<id>, got ${answer.status} ${answer.location}`);
  return Number(m[1]);
}

// ---------------------------------------------------------------------------------------------

const isRefusal = (who: Who, status: number) => who === "anonymous" || status >= 400;

function mismatch(who: Who, what: string, expected: number, got: Answer, anonymousTo: string): string | null {
  if (got.status !== expected) return `${who} ${what}: expected ${expected}, got ${got.status}${got.location ? ` → ${got.location}` : ""}`;
  if (who === "anonymous" && expected === 302 && !got.location.startsWith(anonymousTo)) {
    return `${who} ${what}: expected a redirect to ${anonymousTo}…, got ${got.location}`;
  }
  return null;
}

it("declares every route module, and the actions of exactly those that have one", () => {
  const files = readdirSync(ROUTES_DIR).filter((f) => /\.tsx?$/.test(f)).sort();
  expect(files.filter((f) => !(f in MATRIX)), "route modules missing from MATRIX").toEqual([]);
  expect(Object.keys(MATRIX).filter((f) => !files.includes(f)), "MATRIX rows without a route module").toEqual([]);
  const withAction = files.filter((f) => /export\s+(async\s+)?(function|const)\s+action\b/.test(readFileSync(path.join(ROUTES_DIR, f), "utf8")));
  expect(withAction.filter((f) => !MATRIX[f].actions?.length), "actions without cases").toEqual([]);
  expect(Object.keys(MATRIX).filter((f) => MATRIX[f].actions && !withAction.includes(f)), "cases for a route without an action").toEqual([]);
});

it("tries every intent each action handles", () => {
  const problems: string[] = [];
  for (const [file, row] of Object.entries(MATRIX)) {
    if (!row.actions) continue;
    const handled = intentsIn(file);
    const tried = new Set(row.actions.filter((c) => !c.unhandled && c.intent).map((c) => c.intent));
    for (const i of handled) if (!tried.has(i)) problems.push(`${file}: intent "${i}" is not tried`);
    for (const i of tried) if (!handled.has(i)) problems.push(`${file}: tries "${i}", which the action does not handle`);
  }
  expect(problems).toEqual([]);
});

describe.each(Object.entries(MATRIX))("%s", (file, row) => {
  it.each(row.views.map((v) => [v.name, v] as const))("GET %s: document and .data", async (_name, view) => {
    const url = view.url(fx);
    const data = view.data ?? view.expect;
    const anonymousTo = view.anonymousTo ?? "/login?redirectTo=";
    const problems = await Promise.all(
      WHO.flatMap((who) => {
        const cookie = who === "anonymous" ? undefined : cookies[who];
        return [
          call("GET", url, cookie).then((got) => mismatch(who, `GET ${url}`, view.expect[who], got, anonymousTo)),
          call("GET", withData(url, file), cookie).then((got) => mismatch(who, `GET ${withData(url, file)}`, data[who], got, anonymousTo)),
        ];
      }),
    );
    expect(problems.filter(Boolean)).toEqual([]);
  });

  const cases = (row.actions ?? []).map((c) => [`${c.intent || "(no intent)"}${c.name ? ` — ${c.name}` : ""}`, c] as const);
  if (cases.length === 0) return;
  it.each(cases)("POST %s", async (_name, c) => {
    const url = (c.url ?? row.views[0].url)(fx);
    const anonymousTo = c.anonymousTo ?? "/login?redirectTo=";
    const data = c.data ?? c.expect;
    const refused = (who: Who) => isRefusal(who, c.expect[who]) || isRefusal(who, data[who]);
    // Refusals first: the role allowed to act may change the fixture.
    const order = [...WHO].sort((a, b) => Number(refused(b)) - Number(refused(a)));
    const problems: string[] = [];
    for (const who of order) {
      const cookie = who === "anonymous" ? undefined : c.freshSession ? await login(USERNAMES[who]) : cookies[who];
      const form = async () => {
        const body = await c.form(fx, who);
        if (c.intent && !(body instanceof FormData)) return { intent: c.intent, ...body };
        if (c.intent && body instanceof FormData) body.set("intent", c.intent);
        return body;
      };
      const expected = c.expect[who];
      const got = await call("POST", url, cookie, await form());
      const problem = mismatch(who, `POST ${url}`, expected, got, anonymousTo);
      if (problem) problems.push(problem);
      if (isRefusal(who, data[who])) {
        const again = await call("POST", withData(url, file, "POST"), cookie, await form());
        const dataProblem = mismatch(who, `POST ${withData(url, file, "POST")}`, data[who], again, anonymousTo);
        if (dataProblem) problems.push(dataProblem);
      }
    }
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Fields a role may not set: posted anyway, ignored.

describe("form fields a role may not set are ignored", () => {
  // One item goes the whole way: written (with forged fields), signed off, adopted.
  let itemId = 0;
  const forged = () => ({
    status: "adopted", grade: "excellent", unit_id: String(fx.units.B), points: "100", created_by: String(fx.accounts.correspondentB),
    report_month: "2025-01", decided_by: String(fx.accounts.reviewer), late: "1", version: "7",
  });
  const row = (id: number) =>
    reader
      .selectFrom("items")
      .select(["unit_id", "status", "grade", "report_month", "created_by", "decided_by", "title", "points_revoked"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
  const bylines = async (id: number) =>
    (await reader.selectFrom("item_bylines").select("account_id").where("item_id", "=", id).execute()).map((r) => r.account_id);
  const unitStats = async (unitId: number, month: string) =>
    (await reader.selectFrom("unit_month_stats").selectAll().where("unit_id", "=", unitId).where("month", "=", month).executeTakeFirst()) ?? null;

  it("a correspondent's new item takes its unit, author and state from the session", async () => {
    const statsB = await unitStats(fx.units.B, THIS_MONTH);
    const created = await call("POST", "/items/new", cookies.correspondentA, {
      ...itemForm(fx, { intent: "submit", title: "城关镇中心学校举行秋季运动会", ...(await formToken()) }),
      ...forged(),
    });
    itemId = idFrom(created, "/items/");
    expect(await row(itemId)).toEqual({
      unit_id: fx.units.A, status: "pending_school", grade: null, report_month: null, created_by: fx.accounts.correspondentA,
      decided_by: null, title: "城关镇中心学校举行秋季运动会", points_revoked: 0,
    });
    expect(await bylines(itemId)).toEqual([fx.accounts.correspondentA]);
    const detail = await loaderData<{ points: { total: number; lines: unknown[] } }>(`/items/${itemId}`, "items.$id.tsx", "correspondentA");
    expect(detail.points).toMatchObject({ total: 0, lines: [] });
    expect(await unitStats(fx.units.B, THIS_MONTH)).toEqual(statsB);
  });

  it("editing a draft cannot move it to another unit, state or author", async () => {
    const saved = await call("POST", "/items/new", cookies.correspondentA, itemForm(fx, { intent: "save", ...(await formToken()) }));
    const draftId = idFrom(saved, "/items/");
    const edited = await call("POST", `/items/${draftId}/edit`, cookies.correspondentA, {
      ...itemForm(fx, { intent: "save", title: "城关镇中心学校开展消防演练（修改）" }),
      ...forged(),
      status: "submitted",
      version: await fx.version(draftId),
    });
    expect(edited).toEqual({ status: 302, location: `/items/${draftId}` });
    expect(await row(draftId)).toEqual({
      unit_id: fx.units.A, status: "draft", grade: null, report_month: null, created_by: fx.accounts.correspondentA,
      decided_by: null, title: "城关镇中心学校开展消防演练（修改）", points_revoked: 0,
    });
  });

  it("a lead's sign-off cannot grade the item, set its month or its unit", async () => {
    const signed = await call("POST", `/items/${itemId}`, cookies.leadA, {
      intent: "sign_off", ...forged(), version: await fx.version(itemId),
    });
    expect(signed.status).toBe(302);
    expect(await row(itemId)).toMatchObject({ unit_id: fx.units.A, status: "submitted", grade: null, report_month: THIS_MONTH, decided_by: null });
  });

  it("a reviewer's adoption takes its points from the rules and keeps the item's unit and month", async () => {
    const [beforeA, beforeB] = [await unitStats(fx.units.A, THIS_MONTH), await unitStats(fx.units.B, THIS_MONTH)];
    const adopted = await call("POST", `/review/${itemId}`, cookies.reviewer, {
      ...forged(), intent: "adopt", grade: "good", points: "999", version: await fx.version(itemId), report_month: "2025-01",
    });
    expect(adopted.status).toBe(302);
    expect(await row(itemId)).toMatchObject({ unit_id: fx.units.A, status: "adopted", grade: "good", report_month: THIS_MONTH, decided_by: fx.accounts.reviewer });

    // The points are the rule's for 良 (no photo, not late), from the version in force this month.
    const version = await reader
      .selectFrom("points_rule_versions")
      .select("rules_json")
      .where("effective_month", "<=", THIS_MONTH)
      .orderBy("effective_month", "desc")
      .executeTakeFirstOrThrow();
    const goodPoints = (JSON.parse(version.rules_json) as { grade: { good: number } }).grade.good;
    const detail = await loaderData<{ points: { total: number; lines: Array<{ rule: string; points: number }> } }>(
      `/items/${itemId}`, "items.$id.tsx", "reviewer",
    );
    expect(detail.points.lines).toEqual([expect.objectContaining({ rule: "grade.good", points: goodPoints })]);
    expect(detail.points.total).toBe(goodPoints);

    const afterA = await unitStats(fx.units.A, THIS_MONTH);
    expect(afterA!.adopted - (beforeA?.adopted ?? 0)).toBe(1);
    expect(afterA!.item_points - (beforeA?.item_points ?? 0)).toBeCloseTo(goodPoints, 5);
    expect(await unitStats(fx.units.B, THIS_MONTH)).toEqual(beforeB);
  });

  it("a correspondent cannot credit another unit's people", async () => {
    const count = async () =>
      Number((await reader.selectFrom("items").select((eb) => eb.fn.countAll<number>().as("n")).where("unit_id", "=", fx.units.A).executeTakeFirstOrThrow()).n);
    const before = await count();
    const refused = await call("POST", "/items/new", cookies.correspondentA, {
      ...itemForm(fx, { intent: "save", ...(await formToken()) }),
      bylines: String(fx.accounts.correspondentB),
    });
    expect(refused.status).toBe(400);
    expect(await count()).toBe(before);
  });

  it("a lead cannot change an account through the admin pages", async () => {
    const before = await reader.selectFrom("accounts").selectAll().where("id", "=", fx.accounts.correspondentA).executeTakeFirstOrThrow();
    const attempts: Array<Record<string, string>> = [
      { intent: "save", display_name: "改名", phone: "", role: "school_lead", unit_id: String(fx.units.A) },
      { intent: "reset_password", password: "Reset@2026xyz" },
      { intent: "deactivate" },
    ];
    for (const body of attempts) {
      expect(await call("POST", `/admin/accounts/${fx.accounts.correspondentA}`, cookies.leadA, body)).toEqual({ status: 403, location: "" });
    }
    expect(await reader.selectFrom("accounts").selectAll().where("id", "=", fx.accounts.correspondentA).executeTakeFirstOrThrow()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
// The account's own state: a temporary password, a deactivated account.

describe("an account's state limits what its session may do", () => {
  const TEMPORARY = "Linshi#2026reset";
  const CHOSEN = "Ziji#2026mima";
  const spare = "x03-c1";
  const itemsBy = async (accountId: number) =>
    Number((await reader.selectFrom("items").select((eb) => eb.fn.countAll<number>().as("n")).where("created_by", "=", accountId).executeTakeFirstOrThrow()).n);

  it("with a password an administrator set, the only thing to do is replace it", async () => {
    const reset = await call("POST", `/admin/accounts/${fx.accounts.spare}`, cookies.admin, { intent: "reset_password", password: TEMPORARY });
    expect(reset.status).toBe(302);
    const cookie = await login(spare, TEMPORARY);
    const written = await itemsBy(fx.accounts.spare);

    const toPassword = { status: 302, location: "/account/password" };
    expect(await call("GET", "/", cookie)).toEqual(toPassword);
    expect(await call("GET", "/items", cookie)).toEqual(toPassword);
    expect(await call("GET", withData("/items", "items._index.tsx"), cookie)).toEqual(toPassword);
    expect(await call("GET", "/rankings/" + THIS_MONTH, cookie)).toEqual(toPassword);
    expect(await call("POST", "/items/new", cookie, itemForm(fx, { intent: "save" }))).toEqual(toPassword);
    expect(await call("POST", withData("/items/new", "items.new.tsx", "POST"), cookie, itemForm(fx, { intent: "save" }))).toEqual(toPassword);
    expect(await itemsBy(fx.accounts.spare)).toBe(written);

    expect((await call("GET", "/account/password", cookie)).status).toBe(200);
    const changed = await call("POST", "/account/password", cookie, {
      current_password: TEMPORARY, new_password: CHOSEN, confirm_password: CHOSEN,
    });
    expect(changed).toEqual({ status: 302, location: "/" });
    expect((await call("GET", "/items", cookie)).status).toBe(200);
  });

  it("a deactivated account's session ends and it cannot sign in again", async () => {
    const cookie = await login(spare, CHOSEN);
    expect((await call("GET", "/items", cookie)).status).toBe(200);
    expect((await call("POST", `/admin/accounts/${fx.accounts.spare}`, cookies.admin, { intent: "deactivate" })).status).toBe(302);
    const after = await call("GET", "/items", cookie);
    expect(after.status).toBe(302);
    expect(after.location).toMatch(/^\/login\?redirectTo=/);
    await expect(login(spare, CHOSEN)).rejects.toThrow(/login of x03-c1 failed/);
    expect((await call("POST", `/admin/accounts/${fx.accounts.spare}`, cookies.admin, { intent: "reactivate" })).status).toBe(302);
    expect((await call("GET", "/items", await login(spare, CHOSEN))).status).toBe(200);
  });
});
