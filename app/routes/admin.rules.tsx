import { actorOf, refused } from "~/lib/action-data.server";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/form-kit";
import { useUnclaimedError } from "~/components/intent-form";
import { RulesOverrideSection } from "~/components/rules-overrides";
import { RulesPointsSection } from "~/components/rules-points";
import { RulesQuotaSection } from "~/components/rules-quotas";
import {
  overrideSchema, overrideValuesSchema, pointsRulesOf, pointsValuesSchema, pointsVersionSchema, quotaValuesSchema, quotaVersionSchema,
  type PointsValues,
} from "~/domain/rules-policy";
import { monthLabel } from "~/domain/time";
import { redirectWithFlash } from "~/lib/flash.server";
import { badRequest, formValues, invalid, parseForm, readForm, seenIn } from "~/lib/form.server";
import { notFound, requirePermission } from "~/lib/session.server";
import {
  createPointsVersion, createQuotaVersion, rulesOverview, setQuotaOverride, updatePointsVersion, updateQuotaOverride,
  updateQuotaVersion,
} from "~/models/rules-admin.server";
import { listUnitKinds, listUnitOptions } from "~/models/units.server";
import pageStyles from "~/styles/rules-months.css";
import { parseId } from "~/domain/fields";
import { readTypedUnit } from "~/lib/typed-unit.server";
import { unitsForDropDown } from "~/domain/unit-pick";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: pageStyles }];

export const meta: MetaFunction = () => [{ title: "任务数与积分规则 - 教育信息报送平台" }];

type EditKind = "points" | "quota" | "override";
type EditTarget = { kind: EditKind; id: number } | null;
const INTENTS = ["create_points", "update_points", "create_quota", "update_quota", "set_override", "update_override"];

function editTarget(value: string | null): EditTarget {
  const m = /^(points|quota|override)-(\d{1,9})$/.exec(value ?? "");
  return m ? { kind: m[1] as EditKind, id: Number(m[2]) } : null;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "admin.rules");
  const overview = await rulesOverview(context.dbs.reader);
  const edit = editTarget(new URL(request.url).searchParams.get("edit"));
  // Only what can still be edited opens an edit form; anything else shows the plain page.
  const editable =
    edit &&
    (edit.kind === "points"
      ? overview.points.versions.some((v) => v.id === edit.id && v.editable)
      : edit.kind === "quota"
        ? overview.quotas.versions.some((v) => v.id === edit.id && v.editable)
        : overview.overrides.some((o) => o.id === edit.id && o.editable));
  return { ...overview, units: unitsForDropDown(overview.units), edit: editable ? edit : null };
}

function refreshedNote(months: string[]): string {
  return months.length > 0 ? `，已按新规则重新计算 ${months.length} 个月的积分` : "";
}

/** The id of the row an edit form changes (a hidden field); a missing or malformed one is a 404. */
function rowId(form: FormData, field: string, missing: string): number {
  return parseId(form.get(field)) ?? notFound(missing);
}

const PAGE = "/admin/rules";

const UNCHANGED = "没有需要保存的修改";

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "admin.rules");
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const actor = actorOf(user, context);
  const db = context.dbs.db;

  switch (intent) {
    case "create_points": {
      const parsed = parseForm(form, pointsVersionSchema());
      if (!parsed.ok) return invalid(parsed);
      const { effective_month, note, ...values } = parsed.data;
      const result = await createPointsVersion(db, { effectiveMonth: effective_month, note, rules: pointsRulesOf(values as PointsValues) }, actor);
      if (!result.ok) return refused(result, { intent, form });
      return redirectWithFlash(PAGE, `已新建积分规则版本，${monthLabel(effective_month)}起执行${refreshedNote(result.refreshedMonths)}`);
    }
    case "update_points": {
      const id = rowId(form, "version_id", "该积分规则版本不存在。");
      const parsed = parseForm(form, pointsValuesSchema());
      if (!parsed.ok) return invalid(parsed);
      const { note, ...values } = parsed.data;
      const result = await updatePointsVersion(db, id, { note, rules: pointsRulesOf(values as PointsValues), seen: seenIn(form) }, actor);
      if (!result.ok) return refused(result, { intent, form });
      return redirectWithFlash(PAGE, result.changed ? `积分规则已修改${refreshedNote(result.refreshedMonths)}` : UNCHANGED);
    }
    case "create_quota": {
      const parsed = parseForm(form, quotaVersionSchema(await listUnitKinds(context.dbs.reader)));
      if (!parsed.ok) return invalid(parsed);
      const result = await createQuotaVersion(db, parsed.data, actor);
      if (!result.ok) return refused(result, { intent, form });
      return redirectWithFlash(PAGE, `已新建月度任务数版本，${monthLabel(parsed.data.effectiveMonth)}起执行`);
    }
    case "update_quota": {
      const id = rowId(form, "version_id", "该任务数版本不存在。");
      const parsed = parseForm(form, quotaValuesSchema(await listUnitKinds(context.dbs.reader)));
      if (!parsed.ok) return invalid(parsed);
      const result = await updateQuotaVersion(db, id, { ...parsed.data, seen: seenIn(form) }, actor);
      if (!result.ok) return refused(result, { intent, form });
      return redirectWithFlash(PAGE, result.changed ? "月度任务数已修改" : UNCHANGED);
    }
    case "set_override": {
      // A province's form: the unit typed as its code or name (one no longer in use is refused by setQuotaOverride).
      const typed = await readTypedUnit(form, "unit_id", () => listUnitOptions(context.dbs.reader), intent);
      if (!typed.ok) return invalid(typed.failure);
      const parsed = parseForm(typed.form, overrideSchema());
      // The box shows what was typed, not the id it was read as.
      if (!parsed.ok) return invalid({ ...parsed, values: formValues(form) });
      const { unit_id, effective_month, quota, reason } = parsed.data;
      const result = await setQuotaOverride(db, { unitId: unit_id, effectiveMonth: effective_month, quota, reason }, actor);
      if (!result.ok) return refused(result, { intent, form });
      return redirectWithFlash(PAGE, `已设置例外任务数：${monthLabel(effective_month)}起每月 ${quota} 条`);
    }
    case "update_override": {
      const id = rowId(form, "override_id", "该例外任务数不存在。");
      const parsed = parseForm(form, overrideValuesSchema());
      if (!parsed.ok) return invalid(parsed);
      const result = await updateQuotaOverride(db, id, { ...parsed.data, seen: seenIn(form) }, actor);
      if (!result.ok) return refused(result, { intent, form });
      return redirectWithFlash(PAGE, result.changed ? "例外任务数已修改" : UNCHANGED);
    }
    default:
      return badRequest("未知的操作，请刷新页面后重试。");
  }
}

export default function RulesPage() {
  const data = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  const unclaimed = useUnclaimedError(INTENTS);
  const editId = (kind: EditKind) => (data.edit?.kind === kind ? data.edit.id : null);
  const bounds = { suggested: data.suggested, earliest: data.earliest, latestClosed: data.latestClosed };

  return (
    <>
      <div className="page-head">
        <h1>任务数与积分规则</h1>
      </div>
      <p className="muted small">
        规则按月份分版本保存：每个版本从生效月份起执行，直到下一个版本生效。已结算的月份始终按结算时的版本计算，新版本和例外任务数只能从最近一个已结算月份之后生效。
        {data.latestClosed ? `最近结算的月份：${monthLabel(data.latestClosed)}。` : "目前还没有结算过的月份。"}
      </p>
      <nav className="section-links" aria-label="本页内容">
        <a href="#points">积分规则</a>
        <a href="#quotas">月度任务数</a>
        <a href="#overrides">单位例外任务数</a>
      </nav>
      <FormError error={unclaimed} />

      <RulesPointsSection versions={data.points.versions} inForceId={data.points.inForceId} editId={editId("points")} bounds={bounds} busy={busy} />
      <RulesQuotaSection
        versions={data.quotas.versions} inForceId={data.quotas.inForceId} kinds={data.kinds} editId={editId("quota")} bounds={bounds} busy={busy}
      />
      <RulesOverrideSection overrides={data.overrides} units={data.units} editId={editId("override")} bounds={bounds} busy={busy} />
    </>
  );
}
