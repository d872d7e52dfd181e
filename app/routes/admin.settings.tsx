import { refused } from "~/lib/action-data.server";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FieldError, FormError } from "~/components/form-fields";
import {
  CATALOG_KINDS, CATALOG_NAME_MAX, CATALOG_NAMES, catalogAddSchema, isCatalogKind, catalogRenameSchema, catalogRowSchema, type CatalogKind,
} from "~/domain/catalog-admin";
import { can } from "~/domain/permissions";
import {
  SETTING_GROUP_NAMES, SETTING_KEYS, settingDef, settingFieldValue, settingText, timingText, type SettingGroup,
  type SettingKey,
} from "~/domain/settings";
import { settingKeysIn, settingsFormSchema, versionMonths, type SettingVersion } from "~/domain/settings-form";
import { formatShanghai, monthLabel } from "~/domain/time";
import { redirectWithFlash } from "~/lib/flash.server";
import { badRequest, formValues, invalid, parseForm, readForm } from "~/lib/form.server";
import { forbidden, notFound, requirePermission } from "~/lib/session.server";
import {
  addCatalogEntry, catalogOverview, deleteCatalogEntry, moveCatalogEntry, renameCatalogEntry, setCatalogEntryActive,
  type CatalogResult,
} from "~/models/catalog-admin.server";
import { saveSettings, settingsOverview } from "~/models/settings.server";
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
  const actor = { id: user.id, username: user.username, ip: context.ip };
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

interface Failure {
  ok: false;
  formError?: string;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function SettingsPage() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failed = failure && !failure.ok ? (failure as Failure) : null;
  const intent = failed?.values.intent ?? "";
  // A settings form sends only its own section's keys, so they name the section.
  const failedKeys = intent === "save_settings" && failed ? settingKeysIn(failed.values) : [];
  const failedGroups = new Set(failedKeys.map((k) => settingDef(k).group));
  const failedGroup = failedKeys.length > 0 ? settingDef(failedKeys[0]).group : null;
  const kind = failed?.values.kind;
  const failedKind = CATALOG_INTENTS.includes(intent) && isCatalogKind(kind) ? kind : null;
  // A refusal no section can place (no intent, a list that does not exist) is shown at the top.
  const unplaced = failed && !failedGroup && !failedKind ? failed.formError ?? Object.values(failed.fieldErrors)[0] : undefined;

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
        <SettingsSection
          key={g}
          group={g}
          data={data}
          busy={busy}
          failure={failedGroups.has(g) ? failed : null}
        />
      ))}
      {data.catalog
        ? CATALOG_KINDS.map((kind) => (
            <CatalogSection key={kind} kind={kind} rows={data.catalog![kind]} busy={busy} failure={failedKind === kind ? failed : null} />
          ))
        : null}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Settings

function SettingsSection({ group, data, busy, failure }: { group: SettingGroup; data: Data; busy: boolean; failure: Failure | null }) {
  const keys = SETTING_KEYS.filter((k) => settingDef(k).group === group);
  const hasMonthly = keys.some((k) => settingDef(k).timing === "month");
  const allMonthly = keys.every((k) => settingDef(k).timing === "month");
  const monthlyLabels = keys.filter((k) => settingDef(k).timing === "month").map((k) => settingDef(k).label).join("、");
  const errors = (failure?.fieldErrors ?? {}) as Record<string, string | undefined>;
  const typed = failure?.values ?? null;
  const monthId = `${group}-effective-month`;
  return (
    <section className="card settings-section" id={group} aria-labelledby={`${group}-title`}>
      <h2 id={`${group}-title`}>{SETTING_GROUP_NAMES[group]}</h2>
      <FormError error={failure?.formError} />
      <Form method="post" className="stack stack--wide" noValidate key={failure ? "failed" : "saved"}>
        <input type="hidden" name="intent" value="save_settings" />
        {keys.map((key) => (
          <SettingField key={key} settingKey={key} current={data.values[key]} typed={typed?.[key]} error={errors[key]} versions={data.versions[key] as SettingVersion[] | undefined} />
        ))}
        {hasMonthly ? (
          <div className="field settings-month">
            <label htmlFor={monthId}>{allMonthly ? "以上设置的生效月份" : `${monthlyLabels}的生效月份`}</label>
            <input
              id={monthId} name="effective_month" type="month" min="2000-01" max="2099-12" required placeholder="2026-12"
              defaultValue={typed?.effective_month ?? data.defaultEffectiveMonth}
              aria-invalid={errors.effective_month ? true : undefined}
              aria-describedby={errors.effective_month ? `${monthId}-error ${monthId}-hint` : `${monthId}-hint`}
            />
            <span className="hint" id={`${monthId}-hint`}>
              {data.earliest
                ? `${monthLabel(data.latestClosed!)}及以前已结算，最早可从 ${monthLabel(data.earliest)} 起生效。`
                : "还没有结算过的月份。"}
              新值执行到下一次调整为止；从未来某月生效的，到时自动执行。
            </span>
            <FieldError id={monthId} error={errors.effective_month} />
          </div>
        ) : null}
        <div className="button-row">
          <button type="submit" disabled={busy}>
            保存{SETTING_GROUP_NAMES[group]}
          </button>
        </div>
      </Form>
    </section>
  );
}

function SettingField({
  settingKey, current, typed, error, versions,
}: { settingKey: SettingKey; current: unknown; typed?: string; error?: string; versions?: SettingVersion[] }) {
  const def = settingDef(settingKey);
  const id = `setting-${settingKey}`;
  const value = typed ?? settingFieldValue(settingKey, current);
  const describedBy = [error ? `${id}-error` : null, `${id}-hint`].filter(Boolean).join(" ");
  const meta = (
    <span className="hint" id={`${id}-hint`}>
      当前：<strong>{settingText(settingKey, current)}</strong>
      <span className={def.timing === "month" ? "settings-timing settings-timing--month" : "settings-timing"}>{timingText(def.timing)}</span>
      <br />
      {def.hint}
    </span>
  );
  if (def.type === "flag") {
    return (
      <fieldset className="field settings-field" aria-describedby={describedBy}>
        <legend>{def.label}</legend>
        <div className="radio-row">
          {[
            ["1", "开启"],
            ["0", "关闭"],
          ].map(([v, text]) => (
            <label key={v} className="radio">
              <input type="radio" name={settingKey} value={v} defaultChecked={value === v} /> {text}
            </label>
          ))}
        </div>
        <FieldError id={id} error={error} />
        {meta}
      </fieldset>
    );
  }
  const suffix = def.type === "int" ? def.unit : def.type === "percent" ? "%" : null;
  const wide = def.type === "text" && def.maxLength > 20;
  return (
    <div className="field settings-field">
      <label htmlFor={id}>{def.label}</label>
      <span className="input-with-unit">
        <input
          id={id} name={settingKey} type="text" autoComplete="off" defaultValue={value}
          className={def.type === "text" ? (wide ? "input--wide" : "input--medium") : "input--short"}
          inputMode={def.type === "int" || def.type === "percent" ? "numeric" : undefined}
          maxLength={def.type === "text" ? def.maxLength : def.type === "monthDay" ? 5 : 7}
          placeholder={def.type === "monthDay" ? "04-10" : undefined}
          required={!(def.type === "text" && def.optional)}
          aria-invalid={error ? true : undefined} aria-describedby={describedBy}
        />
        {suffix ? <span className="unit">{suffix}</span> : null}
      </span>
      <FieldError id={id} error={error} />
      {meta}
      {versions && versions.length > 0 ? <VersionList settingKey={settingKey} versions={versions} /> : null}
    </div>
  );
}

const STATE_BADGE: Record<SettingVersion["state"], { text: string; className: string }> = {
  past: { text: "已结束", className: "badge" },
  current: { text: "本月执行", className: "badge badge--ok" },
  scheduled: { text: "待生效", className: "badge badge--warn" },
};

function VersionList({ settingKey, versions }: { settingKey: SettingKey; versions: SettingVersion[] }) {
  return (
    <details className="settings-versions" open={versions.length > 1}>
      <summary>
        各月份适用的值（{versions.length} 个版本）
      </summary>
      <ul>
        {[...versions].reverse().map((v) => (
          <li key={v.effectiveMonth}>
            <span className="nowrap">{versionMonths(v)}</span>：<strong>{settingText(settingKey, v.value)}</strong>{" "}
            <span className={STATE_BADGE[v.state].className}>{STATE_BADGE[v.state].text}</span>
            {v.updatedBy ? (
              <span className="muted small">
                {" "}
                {v.updatedBy} · {formatShanghai(v.updatedAt)}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </details>
  );
}

// ---------------------------------------------------------------------------------------------
// Categories and channels

type CatalogRow = NonNullable<Data["catalog"]>[CatalogKind][number];

const CATALOG_HINTS: Record<CatalogKind, string> = {
  category: "信息员写稿时选择的栏目，按下表顺序列出。",
  channel: "稿件拟投送的网站频道，月度通报按频道统计。",
};

function CatalogSection({ kind, rows, busy, failure }: { kind: CatalogKind; rows: CatalogRow[]; busy: boolean; failure: Failure | null }) {
  const label = CATALOG_NAMES[kind];
  const intent = failure?.values.intent ?? "";
  const addFailure = intent === "catalog_add" ? failure : null;
  const renameFailure = intent === "catalog_rename" ? failure : null;
  const renamedRow = renameFailure ? rows.find((r) => String(r.id) === renameFailure.values.id) : undefined;
  // Beside the row's rename box when there is one; otherwise (a move, a deactivation, a row that
  // is gone) above the table.
  const sectionError =
    failure && intent !== "catalog_add" && !renamedRow
      ? failure.formError ?? failure.fieldErrors.id ?? failure.fieldErrors.name ?? Object.values(failure.fieldErrors)[0]
      : renamedRow
        ? renameFailure?.formError
        : undefined;
  const active = rows.filter((r) => r.active).length;
  const addId = `${kind}-add-name`;
  return (
    <section className="card" id={kind} aria-labelledby={`${kind}-title`}>
      <h2 id={`${kind}-title`}>{label}</h2>
      <p className="muted small">
        {CATALOG_HINTS[kind]}停用后写稿时不再可选，已有稿件照常显示原名称；改名后已有稿件随之显示新名称。没有稿件使用的可以删除。
      </p>
      <FormError error={sectionError} />
      <div className="table-wrap">
        <table className="data stack-on-phone catalog-table">
          <caption className="sr-only">{label}</caption>
          <thead>
            <tr>
              <th scope="col" className="num catalog-order">
                顺序
              </th>
              <th scope="col">名称</th>
              <th scope="col">状态</th>
              <th scope="col" className="num">
                稿件数
              </th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => {
              const renaming = renameFailure?.values.id === String(r.id) ? renameFailure : null;
              const renameId = `${kind}-${r.id}-name`;
              return (
                <tr key={r.id} className={r.active ? undefined : "inactive"}>
                  <td data-label="顺序" className="num catalog-order">
                    {i + 1}
                  </td>
                  <td data-label="名称" className="cell-primary">
                    {r.name}
                  </td>
                  <td data-label="状态">{r.active ? <span className="badge badge--ok">启用</span> : <span className="badge">已停用</span>}</td>
                  <td data-label="稿件数" className="num">
                    {r.items}
                  </td>
                  <td data-label="操作">
                    <div className="row-actions">
                      <Form method="post" className="catalog-buttons">
                        <input type="hidden" name="kind" value={kind} />
                        <input type="hidden" name="id" value={r.id} />
                        <button type="submit" name="intent" value="catalog_up" className="button--secondary button--small" disabled={busy || i === 0} aria-label={`上移“${r.name}”`}>
                          上移
                        </button>
                        <button
                          type="submit" name="intent" value="catalog_down" className="button--secondary button--small" disabled={busy || i === rows.length - 1}
                          aria-label={`下移“${r.name}”`}
                        >
                          下移
                        </button>
                        {r.active ? (
                          <button
                            type="submit" name="intent" value="catalog_deactivate" className="button--secondary button--small" disabled={busy || active <= 1}
                            aria-label={`停用“${r.name}”`} title={active <= 1 ? `至少要保留一个启用的${label}` : undefined}
                          >
                            停用
                          </button>
                        ) : (
                          <button type="submit" name="intent" value="catalog_reactivate" className="button--secondary button--small" disabled={busy} aria-label={`启用“${r.name}”`}>
                            启用
                          </button>
                        )}
                        {r.items === 0 ? (
                          <button type="submit" name="intent" value="catalog_delete" className="button--secondary button--small" disabled={busy} aria-label={`删除“${r.name}”`}>
                            删除
                          </button>
                        ) : null}
                      </Form>
                      <details className="catalog-rename" open={Boolean(renaming)}>
                        <summary>改名</summary>
                        <Form method="post" className="stack" noValidate>
                          <input type="hidden" name="intent" value="catalog_rename" />
                          <input type="hidden" name="kind" value={kind} />
                          <input type="hidden" name="id" value={r.id} />
                          <div className="field">
                            <label htmlFor={renameId}>“{r.name}”的新名称</label>
                            <input
                              id={renameId} name="name" type="text" maxLength={CATALOG_NAME_MAX} required defaultValue={renaming?.values.name ?? r.name}
                              aria-invalid={renaming?.fieldErrors.name ? true : undefined} aria-describedby={renaming?.fieldErrors.name ? `${renameId}-error` : undefined}
                            />
                            <FieldError id={renameId} error={renaming?.fieldErrors.name} />
                          </div>
                          <div className="button-row">
                            <button type="submit" className="button--small" disabled={busy}>
                              保存名称
                            </button>
                          </div>
                        </Form>
                      </details>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Form method="post" className="catalog-add" noValidate key={addFailure ? "failed" : rows.length}>
        <input type="hidden" name="intent" value="catalog_add" />
        <input type="hidden" name="kind" value={kind} />
        <div className="field">
          <label htmlFor={addId}>添加{label}</label>
          <input
            id={addId} name="name" type="text" maxLength={CATALOG_NAME_MAX} required defaultValue={addFailure?.values.name ?? ""}
            placeholder={`新${label}名称，最多 ${CATALOG_NAME_MAX} 个字`} aria-invalid={addFailure?.fieldErrors.name ? true : undefined}
            aria-describedby={addFailure?.fieldErrors.name ? `${addId}-error` : undefined}
          />
          <FieldError id={addId} error={addFailure ? addFailure.fieldErrors.name ?? addFailure.formError ?? Object.values(addFailure.fieldErrors)[0] : undefined} />
        </div>
        <button type="submit" disabled={busy}>
          添加
        </button>
      </Form>
    </section>
  );
}
