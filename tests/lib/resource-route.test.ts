// How a route without a page turns what its loader throws into an answer.
import { data, redirect } from "@remix-run/node";
import { expect, it, vi } from "vitest";
import { badRequest } from "~/lib/form.server";
import { refusalPage, resourceLoader } from "~/lib/resource-route.server";
import { forbidden } from "~/lib/session.server";

const request = (headers: Record<string, string> = {}) => new Request("http://localhost/notices/3/export?format=docx", { headers });
const run = (thrower: () => never | Promise<never>, req = request()) => resourceLoader(async () => thrower())({ request: req });

it("escapes the message it is given", async () => {
  const html = await (await run(() => forbidden(`<script>alert("x")</script> & '更多'`))).text();
  expect(html).not.toContain("<script>");
  expect(html).toContain("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;更多&#39;");
});

it("keeps the status and headers the refusal carries, and drops the download's", async () => {
  const thrown = data({ ok: false, formError: "请稍后再试：导出任务较多。" }, { status: 429, headers: { "Retry-After": "30", "Content-Disposition": "attachment" } });
  const response = await run(() => {
    throw thrown;
  });
  expect(response.status).toBe(429);
  expect(response.headers.get("Retry-After")).toBe("30");
  expect(response.headers.get("Content-Disposition")).toBeNull();
  const html = await response.text();
  expect(html).toContain("<title>操作过于频繁 - 教育信息报送平台</title>");
  expect(html).toContain("<p>请稍后再试：导出任务较多。</p>");
});

it("reads the message of a refusal thrown as a JSON Response, and of badRequest", async () => {
  const json = await run(() => {
    throw Response.json({ ok: false, formError: "该月已结账。" }, { status: 409 });
  });
  expect(json.status).toBe(409);
  expect(await json.text()).toContain("<p>该月已结账。</p>");
  const bad = await run(() => {
    throw badRequest("只提供 Excel 下载。");
  });
  expect(bad.status).toBe(400);
  expect(await bad.text()).toContain("<p>只提供 Excel 下载。</p>");
});

it("gives the status's usual message when the refusal names none", async () => {
  const response = await run(() => {
    throw new Response(null, { status: 404 });
  });
  expect(response.status).toBe(404);
  expect(await response.text()).toContain("<p>您要找的内容不存在或已被删除。</p>");
});

it("lets a redirect through as it was thrown", async () => {
  const thrown = redirect("/login?redirectTo=%2Fregister");
  await expect(run(() => {
    throw thrown;
  })).rejects.toBe(thrown);
});

it("answers a fault of the portal 500 without its detail, and logs it", async () => {
  const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
  const fault = new Error("SQLITE_CORRUPT: database disk image is malformed");
  const response = await run(() => {
    throw fault;
  });
  expect(logged).toHaveBeenCalledWith(fault);
  expect(response.status).toBe(500);
  expect(response.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
  const html = await response.text();
  expect(html).toContain("<title>系统错误 - 教育信息报送平台</title>");
  for (const detail of ["SQLITE", "malformed", "Error:"]) expect(html).not.toContain(detail);
});

it("does not log a fault of a request the person already left", async () => {
  const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
  const controller = new AbortController();
  controller.abort();
  const response = await run(() => {
    throw new Error("aborted");
  }, new Request("http://localhost/register", { signal: controller.signal }));
  expect(response.status).toBe(500);
  expect(logged).not.toHaveBeenCalled();
});

it("links back only to a page of the portal itself", () => {
  const back = async (referer: string) => (await refusalPage(404, "没有。", { request: request({ Referer: referer }) }).text()).includes("返回上一页");
  return Promise.all([
    expect(back("http://localhost/notices")).resolves.toBe(true),
    expect(back("https://elsewhere.example/notices")).resolves.toBe(false),
    expect(back("http://localhost//elsewhere.example/")).resolves.toBe(false),
    expect(back("http://localhost/notices/3/export?format=docx")).resolves.toBe(false),
  ]);
});
