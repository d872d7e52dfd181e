// Attacks on request bodies and image work, replayed against the production build: what was seen
// on a real network (anonymous 80 MB posts exhausting memory, one account's huge PNGs starving
// everyone, stalled bodies held for minutes, a stack trace per unmatched data request) and what must
// hold instead. Memory is the portal process's VmRSS; latencies are measured here, on loopback.
import { readFileSync } from "node:fs";
import { spawn } from "node:child_process";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInOverHttp, startPortal, type Portal } from "./support/portal";
import { BOUNDARY, itemFields as newItemFields, multipart, MULTIPART, rawPost as rawPostTo } from "./support/raw-post";

let portal: Portal;
const cookies = new Map<string, string>();
const HAN = /[\u4e00-\u9fff]/;
const MB = 1024 * 1024;

function rssMb(): number {
  const status = readFileSync(`/proc/${portal.process.pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
  return kb / 1024;
}

/** Samples the portal's RSS every 50 ms until stopped; returns the peak. */
function watchRss(): { stop: () => number } {
  let peak = rssMb();
  const timer = setInterval(() => {
    if (portal.process.exitCode === null) peak = Math.max(peak, rssMb());
  }, 50);
  return { stop: () => (clearInterval(timer), Math.max(peak, rssMb())) };
}

async function timed(url: string, headers: Record<string, string> = {}): Promise<{ ms: number; status: number }> {
  const start = performance.now();
  const res = await fetch(`${portal.url}${url}`, { headers, redirect: "manual" });
  await res.arrayBuffer();
  return { ms: performance.now() - start, status: res.status };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/** A POST over a bare TCP socket to the portal under test (support/raw-post.ts). */
const rawPost = (path: string, options: Parameters<typeof rawPostTo>[2]) => rawPostTo(portal.url, path, options);


/**
 * `/healthz` timed from a process of its own: this one is busy writing the attack, and its own
 * delays must not count against the server.
 */
function probeHealth(times: number): Promise<number[]> {
  const script = `
    const out = [];
    // The first fetch of a process sets up its client: not the server's time.
    await (await fetch(${JSON.stringify(`${portal.url}/healthz`)})).arrayBuffer();
    for (let i = 0; i < ${times}; i++) {
      const t = performance.now();
      const res = await fetch(${JSON.stringify(`${portal.url}/healthz`)});
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error("healthz " + res.status);
      out.push(performance.now() - t);
    }
    console.log(JSON.stringify(out));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`health probe exited ${code}`))));
  });
}

/** The text fields of a valid new item for `username`, with a fresh one-time form token. */
const itemFields = (username: string, title: string) => newItemFields(portal.url, cookies.get(username)!, title);

const uploadHeaders = (username: string) => ({ "Content-Type": MULTIPART, Cookie: cookies.get(username)! });

beforeAll(async () => {
  portal = await startPortal({ AUTO_REMINDERS: "0" });
  for (const username of ["x01-c1", "x01-c2", "x02-c1", "x03-c1", "x04-c1", "x05-c1", "reviewer"]) cookies.set(username, await signInOverHttp(portal.url, username));
});

afterAll(async () => {
  const output = portal?.output() ?? "";
  await portal?.stop();
  // Nothing the attacks did may have reached the log as an error or a stack trace.
  expect(output).not.toMatch(/Error|服务器内部错误|\n\s+at /);
});

describe("request bodies are read only for someone allowed to send them", () => {
  it("30 parallel anonymous 79 MB posts are answered unread: RSS grows < 150 MB, /healthz stays < 200 ms", async () => {
    for (let i = 0; i < 5; i++) await timed("/healthz");
    const before = rssMb();
    const watch = watchRss();
    const size = 79 * MB;
    const attacks = Array.from({ length: 30 }, (_, i) => {
      // A third each: a page without uploads, an upload page without a session, the same chunked.
      const kind = i % 3;
      const path = kind === 0 ? "/login" : "/items/new";
      return { kind, ...rawPost(path, { headers: { "Content-Type": MULTIPART }, prefix: multipart([{ name: "title", value: "x" }], false), fill: size, chunked: kind === 2 }) };
    });
    const probing = probeHealth(20);
    const answers = await Promise.all(attacks.map((a) => a.answer));
    const health = await probing;
    const peak = watch.stop();
    const growth = peak - before;
    console.log(`30 × 79 MB anonymous: RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MB (+${growth.toFixed(0)} MB); /healthz max ${Math.max(...health).toFixed(1)} ms, p50 ${percentile(health, 50).toFixed(1)} ms; slowest answer ${Math.max(...answers.map((a) => a.ms)).toFixed(0)} ms`);

    answers.forEach((a, i) => {
      if (attacks[i].kind === 0) {
        // Multipart where no page takes files: refused before reading, in Chinese.
        expect(a.status).toBe(415);
        expect(a.text).toMatch(HAN);
      } else {
        // An upload page without a session: to the login page, as for any visitor.
        expect(a.status).toBe(302);
        expect(a.headers.location).toMatch(/^\/login\?redirectTo=%2Fitems%2Fnew/);
      }
      // Answered long before the body could have been sent.
      expect(a.sent).toBeLessThan(size / 2);
    });
    expect(growth).toBeLessThan(150);
    expect(Math.max(...health)).toBeLessThan(200);
  });

  it("300 anonymous connections each sending a form of 1 MB less a byte, then nothing: answered at once, unread; RSS grows < 100 MB", async () => {
    // Before: forms were read whole, up to 1 MB, from anyone; each such connection held its megabyte
    // until the body timed out 30 s later (600 of them: +600 MB). Without a session only the login
    // form is read (up to 32 KB); other pages answer from the session alone.
    const before = rssMb();
    const watch = watchRss();
    const almost = Buffer.alloc(MB - 1, "a");
    const attacks = Array.from({ length: 300 }, (_, i) =>
      rawPost(i % 2 === 0 ? "/login" : "/notifications", {
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(MB), "X-Forwarded-For": `10.66.${i >> 8}.${i & 255}` },
        prefix: Buffer.concat([Buffer.from("intent=read_all&username="), almost.subarray(25)]),
        stall: true,
      }),
    );
    const answers = await Promise.all(attacks.map((a) => a.answer));
    const peak = watch.stop();
    for (const a of attacks) a.stop();
    console.log(`300 anonymous held forms of 1 MB: ${answers.filter((a) => a.status === 413).length} × 413, ${answers.filter((a) => a.status === 302).length} × 302, slowest ${Math.max(...answers.map((a) => a.ms)).toFixed(0)} ms; RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MB (+${(peak - before).toFixed(0)} MB)`);
    answers.forEach((a, i) => {
      if (i % 2 === 0) {
        expect(a.status).toBe(413);
        expect(a.text).toContain("上限 32 KB");
      } else {
        expect(a.status).toBe(302);
        expect(a.headers.location).toMatch(/^\/login\?redirectTo=%2Fnotifications/);
      }
      expect(a.ms).toBeLessThan(10_000);
    });
    expect(peak - before).toBeLessThan(100);
  });

  it("one account's 200 connections each sending a form of 3 MB (to the 简报 editor) or 1 MB, less a byte, then nothing: at most 4 MB of them read, the rest 429 at once; RSS grows < 100 MB", async () => {
    // Before: a signed-in sender's form was read whole on every connection it opened, each held
    // until it timed out 30 s later. One correspondent's 200 such forms to the 简报 editor (3 MB each,
    // whoever sends them) held 600 MB; a few thousand would exhaust the county's 4 GB server.
    const before = rssMb();
    const watch = watchRss();
    const attacks = Array.from({ length: 200 }, (_, i) => {
      const size = i % 2 === 0 ? 3 * MB : MB;
      const start = Buffer.from("intent=read_all&x=");
      return rawPost(i % 2 === 0 ? "/bulletins/1/edit" : "/notifications", {
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(size), Cookie: cookies.get("x05-c1")! },
        prefix: Buffer.concat([start, Buffer.alloc(size - 1 - start.length, "a")]),
        stall: true,
      });
    });
    // The few within the account's share are read as far as they go and wait for the rest (408 after 30 s).
    const answers = await Promise.all(attacks.map((a) => Promise.race([a.answer, new Promise<null>((r) => setTimeout(() => r(null), 10_000))])));
    const peak = watch.stop();
    for (const a of attacks) a.stop();
    const refused = answers.filter((a) => a !== null);
    console.log(`one account's 200 held forms of 1–3 MB: ${refused.filter((a) => a.status === 429).length} × 429, ${answers.length - refused.length} read; slowest refusal ${Math.max(...refused.map((a) => a.ms)).toFixed(0)} ms; RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MB (+${(peak - before).toFixed(0)} MB)`);
    expect(answers.length - refused.length).toBeLessThanOrEqual(4);
    for (const a of refused) {
      expect(a.status).toBe(429);
      expect(a.headers["retry-after"]).toMatch(/^\d+$/);
      expect(a.text).toContain("其他提交正在传送");
      expect(a.ms).toBeLessThan(10_000);
    }
    expect(peak - before).toBeLessThan(100);
    // Given back once those connections are gone: the account's next form is read as usual.
    await new Promise((r) => setTimeout(r, 300));
    const next = await fetch(`${portal.url}/notifications`, {
      method: "POST", redirect: "manual", headers: { Cookie: cookies.get("x05-c1")!, Origin: portal.url, "Content-Type": "application/x-www-form-urlencoded" }, body: "intent=read_all",
    });
    expect(next.status).toBe(302);
  });

  it("an account without the permission is refused unread too (403), and so is a compressed body (415)", async () => {
    const reviewer = rawPost("/items/new", { headers: uploadHeaders("reviewer"), prefix: multipart([{ name: "title", value: "x" }], false), fill: 40 * MB });
    const gzipped = rawPost("/items/new", { headers: { ...uploadHeaders("x04-c1"), "Content-Encoding": "gzip" }, fill: 40 * MB });
    const [a, b] = await Promise.all([reviewer.answer, gzipped.answer]);
    expect(a.status).toBe(403);
    expect(a.sent).toBeLessThan(20 * MB);
    expect(b.status).toBe(415);
    expect(b.text).toMatch(HAN);
    expect(b.sent).toBeLessThan(20 * MB);
    // The answers say the connection closes, so a client keeping connections alive sends nothing more down them.
    expect(a.headers.connection).toBe("close");
    expect(b.headers.connection).toBe("close");
  });
});

describe("a multipart body's framing is bounded too, for an account allowed to upload", () => {
  // Empty parts cost the text cap nothing, and the parser keeps a part's headers whole until the
  // blank line that ends them. Before: 1.5 million empty parts in 78 MB held the portal 40 seconds
  // (+320 MB, /healthz up to 0.7 s); one part whose headers never ended took it from 0.4 to 1.5 GB
  // and stalled /healthz for 4 s. Both were answered 400 only after the whole body was read.
  it("a part whose headers never end, and a million empty parts: 413 long before the body is sent; RSS grows < 150 MB, /healthz < 200 ms", async () => {
    for (let i = 0; i < 5; i++) await timed("/healthz");
    const before = rssMb();
    const watch = watchRss();
    const size = 78 * MB;
    const endless = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="a`);
    const emptyPart = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="x"\r\n\r\n\r\n`);
    const attacks = [
      rawPost("/items/new", { headers: uploadHeaders("x03-c1"), prefix: endless, fill: size }),
      rawPost("/items/new", { headers: uploadHeaders("x04-c1"), pattern: emptyPart, fill: size }),
    ];
    const probing = probeHealth(20);
    const answers = await Promise.all(attacks.map((a) => a.answer));
    const health = await probing;
    const peak = watch.stop();
    console.log(
      `endless part headers / ${Math.floor(size / emptyPart.length)} empty parts in 78 MB: ${answers.map((a) => `${a.status} after ${(a.sent / MB).toFixed(1)} MB, ${a.ms.toFixed(0)} ms`).join("; ")}; ` +
        `RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MB (+${(peak - before).toFixed(0)} MB); /healthz max ${Math.max(...health).toFixed(1)} ms`,
    );
    expect(answers.map((a) => a.status)).toEqual([413, 413]);
    expect(answers[0].text).toContain("表单中某一项的字段名或文件名过长（上限 16 KB）");
    expect(answers[1].text).toContain("表单项目过多（上限 1000 项）");
    for (const a of answers) expect(a.sent).toBeLessThan(size / 2);
    expect(peak - before).toBeLessThan(150);
    expect(Math.max(...health)).toBeLessThan(200);
  });
});

describe("uploads run a few at a time, and image work does not starve other people", () => {
  it("16 parallel uploads of nine 98.8-megapixel PNGs from one account: 2 run, 2 wait their turn, the rest get a 429; another reader's /items p95 stays within 3× idle", async () => {
    // Single-coloured, so the 10000×9880 picture compresses to a few hundred KB.
    const huge = await sharp({ create: { width: 10_000, height: 9_880, channels: 3, background: "#2a7" } }).png({ compressionLevel: 9 }).toBuffer();
    expect(huge.length).toBeLessThan(1 * MB);
    const bodies = await Promise.all(
      Array.from({ length: 16 }, async (_, i) =>
        multipart([
          ...(await itemFields("x01-c1", `大图攻击 ${i + 1}`)),
          ...Array.from({ length: 9 }, (_, n) => ({ name: `photo_${n + 1}`, value: huge, filename: `巨幅${n + 1}.png` })),
        ]),
      ),
    );
    const reader = { Cookie: cookies.get("x02-c1")! };
    for (let i = 0; i < 5; i++) await timed("/items", reader);
    const idle: number[] = [];
    for (let i = 0; i < 40; i++) idle.push((await timed("/items", reader)).ms);

    const before = rssMb();
    const watch = watchRss();
    let running = true;
    const uploads = Promise.all(
      bodies.map((body) =>
        fetch(`${portal.url}/items/new`, { method: "POST", redirect: "manual", headers: { ...uploadHeaders("x01-c1"), Origin: portal.url }, body: new Uint8Array(body) }).then(async (res) => ({
          status: res.status, retryAfter: res.headers.get("retry-after"), text: await res.text(), at: performance.now(),
        })),
      ),
    ).finally(() => (running = false));
    const started = performance.now();
    const loaded: number[] = [];
    while (running) {
      const r = await timed("/items", reader);
      expect(r.status).toBe(200);
      loaded.push(r.ms);
    }
    const results = await uploads;
    const peak = watch.stop();
    const idleP95 = percentile(idle, 95);
    const loadedP95 = percentile(loaded, 95);
    const heavyMs = Math.max(...results.map((r) => r.at)) - started;
    console.log(
      `16 × 9 PNG of 98.8 MP (${(huge.length / 1024).toFixed(0)} KB each): ${results.filter((r) => r.status === 302).length} stored, ${results.filter((r) => r.status === 429).length} × 429, in ${(heavyMs / 1000).toFixed(1)} s; ` +
        `/items p50/p95 idle ${percentile(idle, 50).toFixed(1)}/${idleP95.toFixed(1)} ms, during ${percentile(loaded, 50).toFixed(1)}/${loadedP95.toFixed(1)} ms (${loaded.length} requests, ${(loadedP95 / idleP95).toFixed(2)}×); ` +
        `RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MB (+${(peak - before).toFixed(0)} MB)`,
    );

    const stored = results.filter((r) => r.status === 302);
    const refused = results.filter((r) => r.status === 429);
    expect(stored.length + refused.length, JSON.stringify(results.map((r) => [r.status, r.text.slice(0, 80)]))).toBe(16);
    expect(stored.length).toBeGreaterThanOrEqual(1);
    expect(stored.length).toBeLessThanOrEqual(4);
    for (const r of refused) {
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
      expect(r.text).toMatch(HAN);
    }
    expect(loaded.length).toBeGreaterThanOrEqual(20);
    expect(loadedP95).toBeLessThanOrEqual(3 * idleP95);
    expect(peak - before).toBeLessThan(400);
  });

  it("at most 4 uploads run at once for everyone: a few wait their turn, then 503; a stalled upload is dropped with a 408 and its place freed", async () => {
    const head = async (username: string) => multipart(await itemFields(username, "慢速上传"), false);
    const trickling = async (username: string) =>
      rawPost("/items/new", { headers: uploadHeaders(username), prefix: await head(username), chunked: true, trickle: 1000 });
    // Four uploads in progress, trickling a byte a second: two of one account, two of others;
    // the fourth stops sending after its first part.
    const slow = [await trickling("x01-c1"), await trickling("x01-c1"), await trickling("x01-c2")];
    const stalled = rawPost("/items/new", { headers: uploadHeaders("x02-c1"), prefix: await head("x02-c1"), chunked: true, stall: true });
    // A form on a page without uploads that stops half-way.
    const stalledForm = rawPost("/login", { headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": "100" }, prefix: Buffer.from("username=x01"), stall: true });
    await new Promise((r) => setTimeout(r, 500));

    // The first account may have two more waiting their turn; a fifth is refused at once.
    const waitingOwn = [await trickling("x01-c1"), await trickling("x01-c1")];
    await new Promise((r) => setTimeout(r, 200));
    const fifthOwn = await rawPost("/items/new", { headers: uploadHeaders("x01-c1"), prefix: await head("x01-c1"), fill: 1024 }).answer;
    expect(fifthOwn.status).toBe(429);
    expect(fifthOwn.ms).toBeLessThan(2000);
    expect(fifthOwn.headers["retry-after"]).toMatch(/^\d+$/);
    expect(fifthOwn.text).toMatch(HAN);
    // Another account finds every place taken: it waits, nothing of its body read, then 503.
    const other = await rawPost("/items/new", { headers: uploadHeaders("x03-c1"), prefix: await head("x03-c1"), fill: 1024 }).answer;
    expect(other.status).toBe(503);
    expect(other.ms).toBeGreaterThan(14_000);
    expect(other.headers["retry-after"]).toMatch(/^\d+$/);
    expect(other.text).toMatch(HAN);
    for (const w of waitingOwn) expect((await w.answer).status).toBe(429);

    const [upload, form] = await Promise.all([stalled.answer, stalledForm.answer]);
    for (const a of [upload, form]) {
      expect(a.status).toBe(408);
      expect(a.text).toMatch(HAN);
      expect(a.ms).toBeLessThan(60_000);
    }
    console.log(`stalled bodies answered 408 after ${(upload.ms / 1000).toFixed(1)} s (upload) and ${(form.ms / 1000).toFixed(1)} s (form); a waiting upload got its 503 after ${(other.ms / 1000).toFixed(1)} s`);

    // The stalled upload's place is free again: another account's upload now goes through.
    const freed = await fetch(`${portal.url}/items/new`, {
      method: "POST", redirect: "manual", headers: { ...uploadHeaders("x04-c1"), Origin: portal.url },
      body: new Uint8Array(multipart(await itemFields("x04-c1", "空出位置后的上传"))),
    });
    expect(freed.status).toBe(302);
    for (const s of slow) s.stop();
  });
});

describe("the log", () => {
  it("a .data request the router refuses writes one line, not a stack trace", async () => {
    const before = portal.output().length;
    // What a page's JavaScript would send to a page that takes no form (single fetch: <path>.data).
    const res = await fetch(`${portal.url}/news.data`, {
      method: "POST", headers: { Cookie: cookies.get("x02-c1")!, Origin: portal.url, "Content-Type": "application/x-www-form-urlencoded" }, body: "a=1",
    });
    expect(res.status).toBe(405);
    await new Promise((r) => setTimeout(r, 200));
    const written = portal.output().slice(before).trim().split("\n").filter(Boolean);
    expect(written).toHaveLength(1);
    expect(written[0]).toContain("routes/news._index");
  });

  it("an unmatched ?_data (a page from before single fetch) writes one line each, not a stack trace", async () => {
    const before = portal.output().length;
    const res = await fetch(`${portal.url}/items?_data=routes%2Fnonexistent`, { headers: { Cookie: cookies.get("x02-c1")! } });
    expect(res.status).toBe(403);
    await new Promise((r) => setTimeout(r, 200));
    const written = portal.output().slice(before).trim().split("\n").filter(Boolean);
    // Remix's notice that the old format was used, and the refusal itself.
    expect(written).toHaveLength(2);
    expect(written[0]).toContain("?_data");
    expect(written[1]).toContain("routes/nonexistent");
  });
});
