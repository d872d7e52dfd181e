import { actorOf, refused } from "~/lib/action-data.server";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CatalogSection } from "~/components/catalog-section";
import { FormError, isFormFailure } from "~/components/form-kit";
import { SettingsSection, type SettingsView } from "~/components/settings-section";
import { CATALOG_KINDS, CATALOG_NAMES, catalogAddSchema, isCatalogKind, catalogRenameSchema, catalogRowSchema } from "~/domain/catalog-admin";
import { can } from "~/domain/permissions";
import { isSettingKey, SETTING_GROUP_NAMES, settingDef, settingText, type SettingGroup } from "~/domain/settings";
import { settingKeysIn, settingsFormSchema, withdrawSettingSchema } from "~/domain/settings-form";
import { monthLabel } from "~/domain/time";
import { redirectWithFlash } from "~/lib/flash.server";
import { badRequest, invalid, parseForm, readForm } from "~/lib/form.server";
import { forbidden, requirePermission } from "~/lib/session.server";
import {
  addCatalogEntry, catalogOverview, deleteCatalogEntry, moveCatalogEntry, renameCatalogEntry, setCatalogEntryActive,
} from "~/models/catalog-admin.server";
import { saveSettings, settingsOverview, withdrawSettingVersion } from "~/models/settings.server";
import pageStyles from "~/styles/rules-months.css";
import settingsStyles from "~/styles/settings.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: pageStyles },
  { rel: "stylesheet", href: settingsStyles },
];

export const meta: MetaFunction = () => [{ title: "系统设置 - 教育信息报送平台" }];

const PAGE = "/admin/settings";
const GROUPS = Object.keys(SETTING_GROUP_NAMES) as SettingGroup[];
const CATALOG_INTENTS = ["catalog_add", "catalog_rename", "catalog_up", "catalog_down", "catalog_deactivate", "catalog_reactivate", "catalog_delete"];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "admin.settings");
  const db = context.dbs.reader;
  const [settings, catalog] = await Promise.all([settingsOverview(db), can(user.role, "admin.catalog") ? catalogOverview(db) : null]);
  return { ...settings, catalog };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "admin.settings");
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const actor = actorOf(user, context);
  const db = context.dbs.db;
  if (CATALOG_INTENTS.includes(intent) && !can(user.role, "admin.catalog")) forbidden();

  switch (intent) {
    case "save_settings": {
      const parsed = parseForm(form, settingsFormSchema());
      if (!parsed.ok) return invalid(parsed);
      const { changes, effectiveMonth } = parsed.data;
      const result = await saveSettings(db, { changes, effectiveMonth, actor, ip: context.ip });
      if (!result.ok) return refused(result, { form });
      if (result.changed.length === 0) return redirectWithFlash(PAGE, "没有需要保存的修改");
      const labels = result.changed.map((k) => settingDef(k).label).join("、");
      const fromMonth = result.changed.some((k) => settingDef(k).timing === "month") && effectiveMonth ? `，按月生效的自${monthLabel(effectiveMonth)}起执行` : "";
      const refreshed = result.refreshedMonths.length > 0 ? `，已按新的迟报天数重新核对 ${result.refreshedMonths.length} 个月的稿件` : "";
      // Back to the top, where the message says what was saved (a section is one link away).
      return redirectWithFlash(PAGE, `已保存：${labels}${fromMonth}${refreshed}`);
    }
    case "withdraw_setting": {
      const parsed = parseForm(form, withdrawSettingSchema());
      if (!parsed.ok) return invalid(parsed);
      const { key, effectiveMonth, shown } = parsed.data;
      const result = await withdrawSettingVersion(db, { key, effectiveMonth, shown, actor, ip: context.ip });
      if (!result.ok) return refused(result, { form });
      const label = settingDef(key).label;
      return redirectWithFlash(
        `${PAGE}#${settingDef(key).group}`,
        result.withdrawn
          ? `已撤回${label}${monthLabel(effectiveMonth)}起的版本，${monthLabel(effectiveMonth)}起为 ${settingText(key, result.valueFrom)}`
          : `${label}${monthLabel(effectiveMonth)}起的版本已经撤回，没有需要保存的修改`,
      );
    }
    case "catalog_add": {
      const parsed = parseForm(form, catalogAddSchema());
      if (!parsed.ok) return invalid(parsed);
      const result = await addCatalogEntry(db, parsed.data, actor);
      if (!result.ok) return refused(result, { form });
      return redirectWithFlash(`${PAGE}#${parsed.data.kind}`, `已添加${CATALOG_NAMES[parsed.data.kind]}“${result.name}”`);
    }
    case "catalog_rename": {
      const parsed = parseForm(form, catalogRenameSchema());
      if (!parsed.ok) return invalid(parsed);
      const result = await renameCatalogEntry(db, parsed.data, actor);
      if (!result.ok) return refused(result, { form });
      const label = CATALOG_NAMES[parsed.data.kind];
      return redirectWithFlash(`${PAGE}#${parsed.data.kind}`, result.changed ? `${label}已改名为“${result.name}”，已有稿件随之显示新名称` : "没有需要保存的修改");
    }
    case "catalog_up":
    case "catalog_down":
    case "catalog_deactivate":
    case "catalog_reactivate":
    case "catalog_delete": {
      const parsed = parseForm(form, catalogRowSchema());
      if (!parsed.ok) return invalid(parsed);
      const { kind, id } = parsed.data;
      const label = CATALOG_NAMES[kind];
      const result =
        intent === "catalog_up" || intent === "catalog_down"
          ? await moveCatalogEntry(db, { kind, id, direction: intent === "catalog_up" ? "up" : "down" }, actor)
          : intent === "catalog_delete"
            ? await deleteCatalogEntry(db, { kind, id }, actor)
            : await setCatalogEntryActive(db, { kind, id, active: intent === "catalog_reactivate" }, actor);
      if (!result.ok) return refused(result, { form });
      const done: Record<string, string> = {
        catalog_up: `“${result.name}”已上移`,
        catalog_down: `“${result.name}”已下移`,
        catalog_deactivate: `已停用${label}“${result.name}”：写稿时不再可选，已有稿件照常显示`,
        catalog_reactivate: `已重新启用${label}“${result.name}”`,
        catalog_delete: `已删除${label}“${result.name}”`,
      };
      return redirectWithFlash(`${PAGE}#${kind}`, result.changed ? done[intent] : "没有需要保存的修改");
    }
    default:
      return badRequest("未知的操作，请刷新页面后重试。");
  }
}

// ---------------------------------------------------------------------------------------------

export default function SettingsPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failed = isFormFailure(actionData) ? actionData : null;
  const intent = failed?.values.intent ?? "";
  // A settings form sends only its own section's keys, so they name the section; a 撤回 names its setting.
  const withdrawn = intent === "withdraw_setting" ? String(failed?.values.key ?? "") : "";
  const failedKeys = intent === "save_settings" && failed ? settingKeysIn(failed.values) : isSettingKey(withdrawn) ? [withdrawn] : [];
  const failedGroups = new Set(failedKeys.map((k) => settingDef(k).group));
  const failedGroup = failedKeys.length > 0 ? settingDef(failedKeys[0]).group : null;
  const kind = failed?.values.kind;
  const failedKind = CATALOG_INTENTS.includes(intent) && isCatalogKind(kind) ? kind : null;
  // A refusal no section can place (no intent, a list that does not exist) is shown at the top.
  const unplaced = failed && !failedGroup && !failedKind ? failed.formError ?? Object.values(failed.fieldErrors)[0] : undefined;
  // A version's value is unknown, so JSON leaves it optional; every version has one.
  const view: SettingsView = { ...data, versions: data.versions as SettingsView["versions"] };

  return (
    <>
      <div className="page-head">
        <h1>系统设置</h1>
      </div>
      <p className="muted small">
        名称、文号和催报等设置保存后立即生效；影响月度数字和通报评选的设置按月生效，只能从最近一个已结算月份之后开始，已结算的月份始终按结算时的设置。
        {data.latestClosed ? `最近结算的月份：${monthLabel(data.latestClosed)}。` : "目前还没有结算过的月份。"}每次修改都记入操作日志。
      </p>
      <nav className="section-links" aria-label="本页内容">
        {GROUPS.map((g) => (
          <a key={g} href={`#${g}`}>
            {SETTING_GROUP_NAMES[g]}
          </a>
        ))}
        {data.catalog ? (
          <>
            <a href="#category">栏目</a>
            <a href="#channel">投送频道</a>
          </>
        ) : null}
      </nav>
      <FormError error={unplaced} />

      {GROUPS.map((g) => (
        <SettingsSection key={g} group={g} view={view} busy={busy} failure={failedGroups.has(g) ? failed : null} />
      ))}
      {data.catalog
        ? CATALOG_KINDS.map((k) => <CatalogSection key={k} kind={k} rows={data.catalog![k]} busy={busy} failure={failedKind === k ? failed : null} />)
        : null}
    </>
  );
}
