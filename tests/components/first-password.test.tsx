// The password page an account is sent to while it must change its password. That is the first
// sign-in of every account the admin creates, not only one after a reset: the page says the password
// came from the admin (either way) and which password “当前密码” is, not “管理员已重置您的密码”.
import { describe, expect, it } from "vitest";
import ChangePassword from "~/routes/account.password";
import { renderPage } from "../support/render-page";

const text = async (mustChange: boolean) =>
  (await renderPage(ChangePassword, { mustChange, username: "y99-c1" })).replace(/<[^>]+>/g, "\n");

describe("the password page", () => {
  it("tells an account that must change its password that the admin set it, on creation or on a reset", async () => {
    const page = await text(true);
    expect(page).not.toContain("管理员已重置您的密码");
    expect(page).toContain("您的密码是管理员设置的（新建账号或重置密码时），请先设置只有您自己知道的新密码。");
    expect(page).toContain("即管理员告诉您的初始密码。");
  });

  it("says nothing of the admin to someone changing their own password of their own accord", async () => {
    const page = await text(false);
    expect(page).not.toContain("管理员");
    expect(page).toContain("当前密码");
  });
});
