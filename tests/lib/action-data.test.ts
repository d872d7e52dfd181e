// The one adapter from a refusal to what a page's action answers.
import { describe, expect, it } from "vitest";
import { refusal } from "~/domain/refusal";
import { failureOf, refused } from "~/lib/action-data.server";
import { isDataWithInit, responseOf } from "../support/app";

const form = (entries: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.set(k, v);
  return f;
};

describe("a refusal as action data", () => {
  it("shows a field's message beside the field, not twice", () => {
    expect(failureOf(refusal(400, "请填写理由", { field: "reason" }), { intent: "return", values: { reason: "" } })).toEqual({
      ok: false, intent: "return", fieldErrors: { reason: "请填写理由" }, values: { reason: "" },
    });
  });

  it("shows a message for a field the page does not have as the form's message", () => {
    const f = failureOf(refusal(400, "含有禁用词", { field: "body" }), { intent: "submit", shows: ["confidential_checked"] });
    expect(f.formError).toBe("含有禁用词");
    expect(f.fieldErrors).toEqual({ body: "含有禁用词" });
  });

  it("marks a conflict and gives back what was typed, never a password", () => {
    const f = failureOf(refusal(409, "已被他人处理"), { form: form({ intent: "save", name: "教育网", current_password: "秘密123456" }) });
    expect(f).toEqual({ ok: false, formError: "已被他人处理", fieldErrors: {}, values: { intent: "save", name: "教育网" }, conflict: true });
  });

  it("answers with the refusal's status and, when asked to wait, Retry-After", async () => {
    const busy = responseOf(refused(refusal(429, "请稍后再试", { retryAfterSeconds: 12.2 })));
    expect(busy.status).toBe(429);
    expect(busy.headers.get("Retry-After")).toBe("13");
    expect((await busy.json()).formError).toBe("请稍后再试");
    expect(responseOf(refused(refusal(400, "x"))).headers.get("Retry-After")).toBeNull();
  });

  it.each([
    [404, "稿件不存在"],
    [403, "没有权限"],
  ] as const)("turns %i into the portal's error page", async (status, message) => {
    let thrown: unknown;
    try {
      refused(refusal(status, message));
    } catch (error) {
      thrown = error;
    }
    // Thrown (the route's error boundary shows it), as data with the status: single fetch's `data()`.
    expect(isDataWithInit(thrown)).toBe(true);
    expect(responseOf(thrown).status).toBe(status);
    expect((await responseOf(thrown).json()).formError).toBe(message);
  });
});
