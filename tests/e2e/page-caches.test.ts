// The read pages' figures kept between figures writes (the public news list, a unit's home page) on
// the portal with two processes: a write made through one process is on the next page from either,
// and a unit's home never shows another unit's figures. Each request goes on a connection of its
// own, so the primary hands them to the workers in turn.
import http from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { dataUrl, loaderDataOf } from "../support/single-fetch";
import { signInOverHttp, startPortal, type Portal } from "./support/portal";

let portal: Portal;
const cookies = new Map<string, string>();

/** GET on a new connection (no keep-alive agent), as a Response. */
function freshGet(pathname: string, cookie = ""): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${portal.url}${pathname}`, { agent: false, headers: cookie ? { Cookie: cookie } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0 })));
    });
    req.on("error", reject);
  });
}

type NewsData = { list: { total: number; rows: Array<{ id: number; title: string }> } };
type HomeData = { kind: string; home: { unit: { code: string }; inReview: number; recent: Array<{ id: number }> } };
type QueueData = { rows: Array<{ id: number; version: number; unit_code: string; title: string }> };

const news = async () => loaderDataOf<NewsData>(await freshGet(dataUrl("/news", "routes/news._index")), "routes/news._index");
const home = async (who: string) => loaderDataOf<HomeData>(await freshGet(dataUrl("/", "routes/_index"), cookies.get(who)), "routes/_index");

beforeAll(async () => {
  portal = await startPortal({ WEB_CONCURRENCY: "2", AUTO_REMINDERS: "0" });
  cookies.set("reviewer", await signInOverHttp(portal.url, "reviewer"));
});

afterAll(async () => {
  await portal?.stop();
});

it("an adoption made through one process is on the next news list and unit home page from every process, and only on its unit's", async () => {
  // A waiting item of a township school (account x<NN>-c1), adopted through whichever process takes
  // the request; another school's correspondent watches their own home page meanwhile.
  const queue = await loaderDataOf<QueueData>(await freshGet(dataUrl("/review", "routes/review._index"), cookies.get("reviewer")), "routes/review._index");
  const item = queue.rows.find((r) => /^X\d\d$/.test(r.unit_code))!;
  expect(item).toBeTruthy();
  const own = `${item.unit_code.toLowerCase()}-c1`;
  const other = item.unit_code === "X01" ? "x02-c1" : "x01-c1";
  for (const username of [own, other]) cookies.set(username, await signInOverHttp(portal.url, username));

  // Fill both processes' caches: the same answer on every connection.
  const newsBefore = await Promise.all(Array.from({ length: 6 }, news));
  for (const n of newsBefore) expect(n).toEqual(newsBefore[0]);
  const homeBefore = await Promise.all(Array.from({ length: 6 }, () => home(own)));
  const otherBefore = await Promise.all(Array.from({ length: 6 }, () => home(other)));
  for (const h of homeBefore) expect(h.home).toEqual(homeBefore[0].home);
  expect(homeBefore[0].home.unit.code).toBe(item.unit_code);
  expect(otherBefore[0].home.unit.code).not.toBe(item.unit_code);

  const adopted = await fetch(`${portal.url}/review?index`, {
    method: "POST", redirect: "manual",
    headers: { Cookie: cookies.get("reviewer")!, Origin: portal.url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent: "bulk_adopt", grade: "good", ids: `${item.id}:${item.version}` }),
  });
  expect(adopted.status).toBe(302);

  // Right after the answer, on new connections handed to the workers in turn: never the old page.
  for (const n of await Promise.all(Array.from({ length: 6 }, news))) {
    expect(n.list.total).toBe(newsBefore[0].list.total + 1);
    expect(n.list.rows[0]).toMatchObject({ id: item.id, title: item.title });
  }
  for (const h of await Promise.all(Array.from({ length: 6 }, () => home(own)))) {
    expect(h.home.unit.code).toBe(item.unit_code);
    expect(h.home.inReview).toBe(homeBefore[0].home.inReview - 1);
  }
  for (const h of await Promise.all(Array.from({ length: 6 }, () => home(other)))) {
    expect(h.home.unit.code).toBe(otherBefore[0].home.unit.code);
    expect(h.home.inReview).toBe(otherBefore[0].home.inReview);
    expect(h.home.recent.map((r) => r.id)).not.toContain(item.id);
  }
});
