import { describe, expect, it } from "vitest";
import { blamedField, refusal, refusalKind, refuse, Refused, settle } from "~/domain/refusal";

describe("one refusal", () => {
  it.each([
    [400, "invalid"], [403, "forbidden"], [404, "not_found"], [409, "conflict"], [413, "too_large"], [415, "unsupported"], [429, "busy"], [503, "busy"],
  ] as const)("status %i is a %s refusal", (status, kind) => {
    expect(refusalKind(refusal(status, "不行"))).toBe(kind);
  });

  it.each([
    ["no field", {}, {}, null],
    ["one field carries the message", { field: "reason" }, { reason: "请填写理由" }, "reason"],
    ["several fields", { fieldErrors: { title: "请填写标题", body: "请填写正文" } }, { title: "请填写标题", body: "请填写正文" }, "title"],
  ] as const)("%s", (_l, extra, fieldErrors, blamed) => {
    const r = refusal(400, "请填写理由", extra);
    expect(r).toEqual({ ok: false, status: 400, message: "请填写理由", fieldErrors });
    expect(blamedField(r)).toBe(blamed);
  });

  it("keeps how long to wait", () => {
    expect(refusal(429, "请稍后再试", { retryAfterSeconds: 30 }).retryAfterSeconds).toBe(30);
  });

  it("thrown inside a unit of work comes back as a value; anything else is thrown on", async () => {
    await expect(settle(async () => refuse(409, "该稿件已被他人处理"))).resolves.toEqual({ ok: false, status: 409, message: "该稿件已被他人处理", fieldErrors: {} });
    await expect(settle(async () => 7)).resolves.toBe(7);
    await expect(settle(async () => { throw new Error("磁盘坏了"); })).rejects.toThrow("磁盘坏了");
    expect(new Refused(refusal(400, "x"))).toBeInstanceOf(Error);
  });
});
