// Routes without a page (downloads, redirects) answer a refusal with a Chinese page, not Remix's
// bare JSON: the person who opens a stale "下载 Word" link, a shared download address or /register
// without the right role reads why, with a way back. Anonymous visitors are still sent to login.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shanghaiMonth } from "~/domain/time";
import * as auditExport from "~/routes/admin.audit.export";
import * as importTemplate from "~/routes/admin.import.template";
import * as bulletinExport from "~/routes/bulletins.$id.export";
import * as noticeExport from "~/routes/notices.$id.export";
import * as photo from "~/routes/photos.$id";
import * as rankingsExport from "~/routes/rankings.$period.export";
import * as rankingsIndex from "~/routes/rankings._index";
import * as registerExport from "~/routes/register.$year.export";
import * as registerIndex from "~/routes/register._index";
import * as summaryExport from "~/routes/summary.$year.export";
import { call, setupCounty, type County, type UserKey } from "../support/app";
import { serverBuildOf } from "../support/hello-build";
import { publishedMonthlyNotice } from "../support/notice-fixtures";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

let county: County;
let publishedNotice = 0;
beforeAll(async () => {
  county = await setupCounty();
  publishedNotice = await publishedMonthlyNotice(county);
});
afterAll(async () => county.dbs.dispose());

type Loader = Parameters<typeof call>[0];

interface Refused {
  /** The address a person opens (the server maps download addresses to the export routes). */
  opened: string;
  loader: Loader;
  url: string;
  params?: Record<string, string>;
  user?: UserKey;
  status: number;
  title: string;
  message: string;
}

const REFUSED: Refused[] = [
  { opened: "/register", loader: registerIndex.loader, url: "/register", user: "correspondentA", status: 403, title: "没有权限", message: "您没有权限访问此页面。" },
  {
    opened: "/notices/999.docx", loader: noticeExport.loader, url: "/notices/999/export?format=docx", params: { id: "999" }, status: 404,
    title: "页面不存在", message: "没有这期通报，或它尚未签发：通报签发后才能下载 Word 文件。",
  },
  {
    opened: "/bulletins/999.docx", loader: bulletinExport.loader, url: "/bulletins/999/export?format=docx", params: { id: "999" }, status: 404,
    title: "页面不存在", message: "没有这期简报，或它尚未签发：简报签发后才能下载 Word 文件。",
  },
  {
    opened: "/rankings/2099-13.xlsx", loader: rankingsExport.loader, url: "/rankings/2099-13/export?format=xlsx", params: { period: "2099-13" },
    user: "correspondentA", status: 404, title: "页面不存在", message: "没有这个时间段的排行榜。",
  },
  {
    opened: "/summary/2026.xlsx", loader: summaryExport.loader, url: "/summary/2026/export?format=xlsx", params: { year: "2026" },
    status: 404, title: "页面不存在", message: "该年度汇总尚未签发。",
  },
  {
    opened: "/register/2026.xlsx", loader: registerExport.loader, url: "/register/2026/export?format=xlsx", params: { year: "2026" },
    user: "correspondentA", status: 403, title: "没有权限", message: "您没有权限访问此页面。",
  },
  {
    opened: "/admin/audit.csv", loader: auditExport.loader, url: "/admin/audit/export?format=csv", user: "correspondentA", status: 403,
    title: "没有权限", message: "您没有权限访问此页面。",
  },
  {
    opened: "/admin/import/template", loader: importTemplate.loader, url: "/admin/import/template?kind=units", user: "correspondentA",
    status: 403, title: "没有权限", message: "您没有权限访问此页面。",
  },
  {
    opened: "/admin/import/template?kind=x", loader: importTemplate.loader, url: "/admin/import/template?kind=x", user: "admin", status: 400,
    title: "请求有误", message: "请指定模板类型：kind=units（单位）或 kind=accounts（账号）",
  },
  {
    opened: "/notices/1.pdf", loader: noticeExport.loader, url: "/notices/1/export?format=pdf", params: { id: "1" }, status: 400,
    title: "请求有误", message: "请选择下载格式：docx（通报的 Word 文件）或 xlsx（通报名单，供审核员核对）。",
  },
  { opened: "/photos/999", loader: photo.loader, url: "/photos/999", params: { id: "999" }, status: 404, title: "页面不存在", message: "图片不存在或您无权查看。" },
];

async function expectRefusalPage(response: Response, expected: { status: number; title: string; message: string }) {
  expect(response.status).toBe(expected.status);
  expect(response.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
  expect(response.headers.get("Cache-Control")).toBe("private, no-store");
  expect(response.headers.get("Content-Disposition")).toBeNull();
  const html = await response.text();
  expect(html).toMatch(/^<!doctype html><html lang="zh-CN">/);
  expect(html).toContain(`<title>${expected.title} - 教育信息报送平台</title>`);
  expect(html).toContain(`<p>${expected.message}</p>`);
  expect(html).toContain(`<a href="/">返回首页</a>`);
  expect(html).not.toContain("Unexpected Server Error");
  expect(html).not.toMatch(/[{}]"|"message"|formError/);
  return html;
}

describe("a refused download or redirect answers with a Chinese page", () => {
  it.each(REFUSED.map((r) => [`${r.opened} as ${r.user ?? "anonymous"}`, r] as const))("%s", async (_name, r) => {
    const response = await call(r.loader, county, { url: r.url, params: r.params, user: r.user });
    await expectRefusalPage(response, r);
  });

  it("offers the way back to the portal page the link was on", async () => {
    const headers = new Headers({ Cookie: await county.cookieFor("correspondentA"), Referer: "http://localhost/notices?page=2" });
    const request = new Request("http://localhost/admin/audit/export?format=csv", { headers });
    const html = await (await auditExport.loader({ request, params: {}, context: county.context() })).text();
    expect(html).toContain(`<a href="/notices?page=2">返回上一页</a>`);
  });

  it("is what the browser receives through Remix's own request handler, not Remix's JSON", async () => {
    const handler = createRequestHandler(resourceBuild(registerIndex), "production");
    const request = new Request("http://localhost/register", { headers: { Cookie: await county.cookieFor("correspondentA") } });
    const response = await handler(request, county.context() as unknown as AppLoadContext);
    expect(response.headers.get("X-Remix-Error")).toBeNull();
    await expectRefusalPage(response, REFUSED[0]);
  });
});

describe("anonymous visitors are still sent to login and back", () => {
  it.each([
    ["/register", registerIndex.loader, {}],
    ["/register/2026/export?format=xlsx", registerExport.loader, { year: "2026" }],
    ["/admin/audit/export?format=csv", auditExport.loader, {}],
    ["/admin/import/template?kind=units", importTemplate.loader, {}],
    ["/rankings/2026-10/export?format=xlsx", rankingsExport.loader, { period: "2026-10" }],
    ["/rankings", rankingsIndex.loader, {}],
  ] as const)("%s", async (url, loader, params) => {
    const response = await call(loader, county, { url, params: { ...params } });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/login?${new URLSearchParams({ redirectTo: url })}`);
  });
});

describe("a download that is allowed is unchanged", () => {
  it("a published notice's Word document", async () => {
    const id = String(publishedNotice);
    const response = await call(noticeExport.loader, county, { url: `/notices/${id}/export?format=docx`, params: { id } });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe(DOCX);
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; /);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.subarray(0, 2)]).toEqual([0x50, 0x4b]);
  });

  it("this month's league as Excel, and the register for a reviewer", async () => {
    const period = shanghaiMonth(new Date());
    const league = await call(rankingsExport.loader, county, { url: `/rankings/${period}/export?format=xlsx`, params: { period }, user: "correspondentA" });
    expect(league.status).toBe(200);
    expect(league.headers.get("Content-Type")).toBe(XLSX);
    const year = period.slice(0, 4);
    const register = await call(registerExport.loader, county, { url: `/register/${year}/export?format=xlsx`, params: { year }, user: "reviewer" });
    expect(register.status).toBe(200);
    expect(register.headers.get("Content-Type")).toBe(XLSX);
  });

  it("a reviewer opening /register is still sent to this year's register", async () => {
    const response = await call(registerIndex.loader, county, { url: "/register", user: "reviewer" });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/register\/\d{4}$/);
  });
});

it("every route without a page, other than the health check, answers refusals this way", () => {
  const dir = path.resolve(import.meta.dirname, "../../app/routes");
  const withoutPage = readdirSync(dir)
    .filter((f) => /\.tsx?$/.test(f))
    .filter((f) => !/export default/.test(readFileSync(path.join(dir, f), "utf8")));
  expect(withoutPage.length).toBeGreaterThan(5);
  const unwrapped = withoutPage
    .filter((f) => f !== "healthz.ts")
    .filter((f) => !/export const loader = resourceLoader\(/.test(readFileSync(path.join(dir, f), "utf8")));
  expect(unwrapped).toEqual([]);
});

/** A server build of a root with a page and one route without a page, as the compiler makes it. */
function resourceBuild(resource: { loader: unknown }): ServerBuild {
  return serverBuildOf({ default: () => new Response("page", { status: 500 }) }, [
    { id: "root", path: "", module: { default: () => createElement("div") } },
    { id: "routes/register._index", parentId: "root", path: "register", index: true, module: { loader: resource.loader } },
  ]);
}
