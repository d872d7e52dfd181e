// Every value of a cookie name is read, so that one planted under the portal's name with a longer
// path (sent first by the browser) cannot hide the portal's own session or device cookie.
import { describe, expect, it } from "vitest";
import { cookieValues } from "~/lib/cookie-values.server";
import { commitSessionId, readSessionId } from "~/lib/session.server";

describe("cookieValues", () => {
  it.each([
    ["none", null, []],
    ["one", "a=1; portal_sid=x; b=2", ["x"]],
    ["two, in the order sent", "portal_sid=planted; other=1; portal_sid=real", ["planted", "real"]],
    ["quoted", 'portal_sid="q"', ["q"]],
    ["a name that only starts the same", "portal_sid_x=1; xportal_sid=2", []],
    ["spaces around", "  portal_sid =v ", ["v"]],
  ] as const)("%s", (_label, header, values) => expect(cookieValues(header, "portal_sid")).toEqual(values));
});

describe("the session cookie", () => {
  it("is read behind a cookie of the same name that the portal did not sign", async () => {
    const own = (await commitSessionId("the-real-session-id")).split(";")[0];
    for (const header of [`portal_sid=planted; ${own}`, `${own}; portal_sid=planted`, `portal_sid=; ${own}`]) {
      expect(await readSessionId(new Request("http://localhost/", { headers: { Cookie: header } })), header).toBe("the-real-session-id");
    }
    expect(await readSessionId(new Request("http://localhost/", { headers: { Cookie: "portal_sid=planted" } }))).toBeNull();
  });
});
