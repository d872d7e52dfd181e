// The rules and settings pages after a refused save: the action answers 400 with a Chinese message
// per field and writes nothing, and the page rendered with that answer shows each message beside
// its field (marked invalid, the typed value kept), in the form that was sent.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_POINTS_RULES } from "~/domain/catalog";
import { pointsValuesOf } from "~/domain/rules-policy";
import { SETTING_KEYS, settingDef, settingFieldValue, type SettingGroup } from "~/domain/settings";
import * as rules from "~/routes/admin.rules";
import * as settings from "~/routes/admin.settings";
import { bodyOf, call, expectFieldErrors, setupCounty, type County } from "../support/app";
import { renderAfterPost } from "../support/render-page";

const NOW = new Date("2026-11-21T02:00:00Z");

let county: County;
beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  county = await setupCounty();
  await county.cookieFor("admin");
});
afterAll(async () => {
  vi.useRealTimers();
  await county.dbs.dispose();
});

type Table = "points_rule_versions" | "quota_rule_versions" | "quota_rules" | "unit_quota_overrides" | "settings" | "audit_events";
const TABLES: Table[] = ["points_rule_versions", "quota_rule_versions", "quota_rules", "unit_quota_overrides", "settings", "audit_events"];
/** Everything a refused save must leave as it was. */
const snapshot = () => Promise.all(TABLES.map((t) => county.dbs.db.selectFrom(t).selectAll().execute()));

/** Posts `body` to the page as the admin; expects 400 with exactly `fieldErrors`, nothing written; the page as then shown. */
async function refusedPage(page: typeof rules | typeof settings, url: string, body: Record<string, string>, fieldErrors: Record<string, string>) {
  const before = await snapshot();
  const answer = await call(page.action, county, { url, user: "admin", body });
  const actionData = await expectFieldErrors(answer, fieldErrors);
  expect(await snapshot()).toEqual(before);
  const loaderData = await bodyOf(await call(page.loader, county, { url, user: "admin" }));
  return renderAfterPost(page.default, { url, loaderData, actionData });
}

/** The markup's text with tags dropped and entities of quotes read back. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&quot;/g, '"').replace(/&#x27;/g, "'");

/** Expects each message shown once, at its control (by the control's id), which is marked invalid and described by it. */
function expectShownAt(html: string, messages: Record<string, string>) {
  for (const [id, message] of Object.entries(messages)) {
    expect(html, message).toContain(`<span class="error" id="${id}-error" role="alert">${message}</span>`);
    const control = new RegExp(`<(input|select|textarea)[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0];
    expect(control, id).toBeDefined();
    expect(control).toContain('aria-invalid="true"');
    expect(control).toMatch(new RegExp(`aria-describedby="[^"]*${id}-error`));
    expect(textOf(html).split(message).length - 1, message).toBe(1);
  }
}

const points = Object.fromEntries(Object.entries(pointsValuesOf(DEFAULT_POINTS_RULES)).map(([k, v]) => [k, String(v)]));

describe("/admin/rules after a refused save", () => {
  const URL_ = "/admin/rules";

  it("a new points version with 采用（优） = 99999 shows the message at that field, keeping 99999", async () => {
    const fieldErrors = { grade_excellent: "“采用（优）”应在 0 到 100 之间" };
    const html = await refusedPage(rules, URL_, { intent: "create_points", effective_month: "2026-12", ...points, grade_excellent: "99999" }, fieldErrors);
    expectShownAt(html, { "points-grade_excellent": fieldErrors.grade_excellent });
    expect(html).toMatch(/<input[^>]*id="points-grade_excellent"[^>]*value="99999"/);
  });

  it("a new quota version with a quota of -3 shows the message at that field", async () => {
    const fieldErrors = { quota_township_central: "乡镇中心校的月度任务数应为 0 到 999 之间的整数" };
    const body = { intent: "create_quota", effective_month: "2026-12", quota_township_central: "-3", quota_district_school: "5", quota_kindergarten: "5" };
    expectShownAt(await refusedPage(rules, URL_, body, fieldErrors), { "quota-township_central": fieldErrors.quota_township_central });
  });

  it("an override of 9999 without a reason shows both messages at their fields", async () => {
    const fieldErrors = { quota: "月度任务数应为 0 到 999 之间的整数", reason: "请填写设置理由" };
    const body = { intent: "set_override", unit_id: String(county.units.A), effective_month: "2026-12", quota: "9999", reason: "" };
    expectShownAt(await refusedPage(rules, URL_, body, fieldErrors), { "override-quota": fieldErrors.quota, "override-reason": fieldErrors.reason });
  });
});

describe("/admin/settings after a refused save", () => {
  const URL_ = "/admin/settings";

  /** What a section's form sends: every setting of the group as shown, then the changes. */
  async function sectionBody(group: SettingGroup, changes: Record<string, string>) {
    const { values } = await bodyOf(await call(settings.loader, county, { url: URL_, user: "admin" }));
    const keys = SETTING_KEYS.filter((k) => settingDef(k).group === group);
    const shown = Object.fromEntries(keys.map((k) => [k, settingFieldValue(k, values[k])]));
    const month: Record<string, string> = keys.some((k) => settingDef(k).timing === "month") ? { effective_month: "2026-12" } : {};
    return { intent: "save_settings", ...shown, ...month, ...changes };
  }

  it.each([
    ["教体局全称 cleared", "names", { bureauName: "" }, { bureauName: "请填写教体局全称" }],
    ["登录记录 of -5 days", "security", { loginHistoryDays: "-5" }, { loginHistoryDays: "登录记录保留应为 30–3650 天之间的整数" }],
    ["表扬名额 of 999", "monthly", { commendTopN: "999" }, { commendTopN: "每类表扬名额应在 0–50 名之间" }],
  ] as const)("%s: the message is shown at the field", async (_name, group, changes, fieldErrors) => {
    const html = await refusedPage(settings, URL_, await sectionBody(group, changes), fieldErrors);
    expectShownAt(html, Object.fromEntries(Object.entries(fieldErrors).map(([name, message]) => [`setting-${name}`, message])));
  });
});
