// Workbooks are built on a job thread (lib/off-thread.server.ts): one thread, one job at a time in
// the order asked, a builder's error reaching the caller with its message, a thread that dies or
// hangs replaced without leaving anyone waiting. The fixture thread speaks the same messages as the
// portal's. From the TypeScript sources (these tests) a job runs in the calling thread; what the
// portal copies to the thread (the league, the year summary, the register) survives the copy.
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { JOB_TIMED_OUT, jobThread, offThreadJob, takeOffThreadJobs, THREAD_DIED, type JobThread } from "~/lib/off-thread.server";
import { yearRankings } from "~/models/rankings.server";
import { annualSummaryDocument } from "~/models/notices.server";
import { registerFor } from "~/models/register.server";
import { DEMO_NOW, setupDemoCounty } from "../support/demo";

const FIXTURE = path.resolve(import.meta.dirname, "fixtures/job-thread.mjs");
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("jobThread", () => {
  let thread: JobThread;
  afterEach(async () => thread?.stop());

  it("runs the jobs one at a time, in the order asked, on one thread started by the first", async () => {
    thread = jobThread(FIXTURE, { tag: "甲" });
    expect(thread.started()).toBe(0);
    const order: string[] = [];
    const answers = await Promise.all(
      ["一", "二", "三"].map((input) => thread.run("echo", input).then((bytes) => (order.push(input), text(bytes)))),
    );
    // Each job alone on the thread (1 at a time), answered in the order asked.
    expect(answers).toEqual(["一|1|甲", "二|1|甲", "三|1|甲"]);
    expect(order).toEqual(["一", "二", "三"]);
    expect(thread.started()).toBe(1);
  });

  it("refuses a job the thread throws on with the thread's message, and goes on with the next", async () => {
    thread = jobThread(FIXTURE, { tag: "乙" });
    const failed = thread.run("fail", "表格太大");
    const next = thread.run("echo", "下一个");
    await expect(failed).rejects.toThrow("生成失败：表格太大");
    expect(text(await next)).toBe("下一个|1|乙");
    expect(thread.started()).toBe(1);
  });

  it("refuses the job on a thread that dies and runs the queued ones on a new thread", async () => {
    thread = jobThread(FIXTURE, { tag: "丙" });
    const crashed = thread.run("crash", null);
    const queued = thread.run("echo", "排队的");
    await expect(crashed).rejects.toThrow(THREAD_DIED);
    expect(text(await queued)).toBe("排队的|1|丙");
    expect(thread.started()).toBe(2);
  });

  it("stops a job that outlasts its time, refuses it, and runs the next on a new thread", async () => {
    thread = jobThread(FIXTURE, { tag: "丁" }, { timeoutMs: 300 });
    const hung = thread.run("hang", null);
    const next = thread.run("echo", "之后的");
    await expect(hung).rejects.toThrow(JOB_TIMED_OUT);
    expect(text(await next)).toBe("之后的|1|丁");
    expect(thread.started()).toBe(2);
  });

  it("lets an idle thread go, and starts another for the next job", async () => {
    thread = jobThread(FIXTURE, { tag: "庚" }, { idleMs: 100 });
    expect(text(await thread.run("echo", "第一件"))).toBe("第一件|1|庚");
    expect(text(await thread.run("echo", "接着的"))).toBe("接着的|1|庚");
    expect(thread.started()).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(text(await thread.run("echo", "闲了以后"))).toBe("闲了以后|1|庚");
    expect(thread.started()).toBe(2);
  });

  it("refuses what is running and waiting when stopped, and anything asked after", async () => {
    thread = jobThread(FIXTURE, { tag: "戊" });
    const running = thread.run("hang", null);
    const waiting = thread.run("echo", "等着的");
    const refused = [expect(running).rejects.toThrow(THREAD_DIED), expect(waiting).rejects.toThrow(THREAD_DIED)];
    await new Promise((r) => setTimeout(r, 50));
    await thread.stop();
    await Promise.all(refused);
    await expect(thread.run("echo", "停了以后")).rejects.toThrow(THREAD_DIED);
  });

  it("refuses a job whose input cannot be copied to the thread, and goes on", async () => {
    thread = jobThread(FIXTURE, { tag: "己" });
    await expect(thread.run("echo", { build: () => 1 })).rejects.toThrow();
    expect(text(await thread.run("echo", "可以复制"))).toBe("可以复制|1|己");
  });
});

describe("offThreadJob from the TypeScript sources", () => {
  it("runs the builder in the calling thread, in bytes of their own", async () => {
    const pooled = new Uint8Array(Buffer.from("小文件"));
    const run = offThreadJob("test-in-thread", async (input: { name: string }) => (input.name === "县" ? pooled : new Uint8Array()));
    takeOffThreadJobs();
    const bytes = await run({ name: "县" });
    expect(text(bytes)).toBe("小文件");
    expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
    expect(takeOffThreadJobs()).toBe(0);
    expect(() => offThreadJob("test-in-thread", async () => new Uint8Array())).toThrow();
  });
});

describe("what the portal sends to the job thread", () => {
  let county: Awaited<ReturnType<typeof setupDemoCounty>>["county"];
  beforeAll(async () => {
    county = (await setupDemoCounty()).county;
  });
  afterAll(async () => county.dbs.dispose());

  it("the year's league, the year summary and the register are copied whole, types and all", async () => {
    const year = DEMO_NOW.toISOString().slice(0, 4);
    const league = await yearRankings(county.dbs.reader, year, DEMO_NOW);
    const summary = (await annualSummaryDocument(county.dbs.reader, year, { role: "reviewer", unitId: null }, DEMO_NOW))!;
    const register = await registerFor(county.dbs.reader, Number(year), { unitId: null }, DEMO_NOW);
    expect(league.kinds.length).toBeGreaterThan(0);
    expect(league.correspondents.length).toBeGreaterThan(0);
    for (const input of [league, { doc: summary.doc, published: summary.published }, { view: register, unitName: "城关镇中心学校" }]) {
      expect(structuredClone(input)).toStrictEqual(input);
    }
  });
});
