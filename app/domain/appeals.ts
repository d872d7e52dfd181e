// Corrections and 申诉 appeals: what a school lead may appeal, until when, and the forms a reviewer
// and a lead fill in. Pure and client-safe.
//
// The appeal window of a month closes at whichever comes first: the month's notice is published
// (签发), or `appealDays` working days (Monday–Friday) after the day the month was closed have
// passed (Asia/Shanghai; the window includes the whole last day). While the month is open, it is
// open for appeals too.
import { z } from "zod";
import { GRADES, type GradeCode, type ItemStatusCode } from "./catalog";
import { builtOnce, idOrIssue, optionalText, text } from "./fields";
import { refusal, type Refusal } from "./refusal";
import { REASON_MAX, versionField } from "./review";
import { addDays, isWeekend, shanghaiDate } from "./time";
import { nameOf, vocabulary } from "./vocabulary";

export const APPEAL_SUBJECTS = vocabulary({ rejected: "不采用决定", grade: "采用等次", pickups: "上稿与批示登记", late: "迟报认定" });
export type AppealSubjectCode = (typeof APPEAL_SUBJECTS)[number]["code"];

export const APPEAL_STATUSES = vocabulary({ open: "待答复", upheld: "维持原决定", corrected: "已更正" });
export type AppealStatusCode = (typeof APPEAL_STATUSES)[number]["code"];

export const CORRECTION_KINDS = vocabulary({
  grade: "更正等次", pickup_removed: "删除上稿", instruction_removed: "删除批示", late_cleared: "取消迟报",
});
export type CorrectionKindCode = (typeof CORRECTION_KINDS)[number]["code"];

/** The working day `days` working days after `date` (weekends skipped; `date` itself not counted). */
export function addWorkingDays(date: string, days: number): string {
  let d = date;
  let left = days;
  while (left > 0) {
    d = addDays(d, 1);
    if (!isWeekend(d)) left -= 1;
  }
  return d;
}

/** The last day (Asia/Shanghai) on which a closed month's decisions may be appealed. */
export function appealDeadline(closedAt: string, appealDays: number): string {
  return addWorkingDays(shanghaiDate(closedAt), appealDays);
}

export interface AppealWindowFacts {
  /** When the month's close in force was made; null while the month is open. */
  closedAt: string | null;
  noticePublished: boolean;
  appealDays: number;
  now: Date;
}

export type AppealWindow = { open: true; deadline: string | null } | { open: false; why: string };

export function appealWindow(f: AppealWindowFacts): AppealWindow {
  if (f.noticePublished) return { open: false, why: "该月通报已签发，申诉期已结束。" };
  if (f.closedAt === null) return { open: true, deadline: null };
  const deadline = appealDeadline(f.closedAt, f.appealDays);
  if (shanghaiDate(f.now) > deadline) {
    return { open: false, why: `申诉期已于 ${deadline} 结束（月度结算后 ${f.appealDays} 个工作日）。` };
  }
  return { open: true, deadline };
}

export interface AppealableItem {
  status: ItemStatusCode;
  grade: GradeCode | null;
  late: boolean;
  reportMonth: string | null;
  hasPickups: boolean;
}

/** What of an item's decisions may be appealed: it must have been decided by the bureau. */
export function appealSubjects(item: AppealableItem): AppealSubjectCode[] {
  if (!item.reportMonth) return [];
  const subjects: AppealSubjectCode[] = [];
  if (item.status === "rejected") subjects.push("rejected");
  if ((item.status === "adopted" || item.status === "withdrawn") && item.grade) subjects.push("grade", "pickups");
  if (item.late && (item.status === "adopted" || item.status === "withdrawn" || item.status === "rejected")) subjects.push("late");
  return subjects;
}

/** Why this appeal cannot be filed, or null. */
export function appealProblem(input: {
  item: AppealableItem;
  subject: AppealSubjectCode;
  window: AppealWindow;
  hasOpenAppeal: boolean;
}): Refusal | null {
  if (!appealSubjects(input.item).includes(input.subject)) {
    return refusal(409, "这篇稿件的这一项没有可申诉的决定，请刷新后查看。", { field: "subject" });
  }
  if (!input.window.open) return refusal(409, input.window.why);
  if (input.hasOpenAppeal) return refusal(409, "这篇稿件已有一件申诉等待答复，请等审核员答复后再申诉。");
  return null;
}

/** A grade correction must change something: a new grade, or adopting a rejected item. */
export function gradeChangeProblem(item: { status: ItemStatusCode; grade: GradeCode | null }, grade: GradeCode): Refusal | null {
  if (item.status !== "adopted" && item.status !== "withdrawn" && item.status !== "rejected") {
    return refusal(409, "只有已采用、已撤稿或不采用的稿件才能更正等次，该稿件的状态已变化，请刷新后查看。");
  }
  if (item.status !== "rejected" && item.grade === grade) {
    return refusal(400, `该稿件的等次已经是“${nameOfGrade(grade)}”，请选择另一个等次。`, { field: "grade" });
  }
  return null;
}

export function nameOfGrade(grade: string | null): string {
  return GRADES.find((g) => g.code === grade)?.name ?? "无";
}

export const appealSubjectName = (code: string): string => nameOf(APPEAL_SUBJECTS, code);
export const appealStatusName = (code: string): string => nameOf(APPEAL_STATUSES, code);
export const correctionKindName = (code: string): string => nameOf(CORRECTION_KINDS, code);

// ---------------------------------------------------------------------------------------------
// Forms. Built on use: a zod call at module level would carry zod into browser bundles.

const GRADE_CODES = GRADES.map((g) => g.code) as ["excellent", "good", "fair"];
const SUBJECT_CODES = APPEAL_SUBJECTS.map((s) => s.code) as ["rejected", "grade", "pickups", "late"];

/** An optional appeal this correction answers. */
const appealRef = () =>
  z
    .string()
    .optional()
    .transform((v, ctx) => (v === undefined || v === "" ? null : idOrIssue(v, ctx, "申诉编号无效，请刷新后重试。")));

export const regradeSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({
    version: versionField(),
    grade: z.enum(GRADE_CODES, { error: "请选择更正后的等次（优、良、中）" }),
    reason: text("更正理由", REASON_MAX),
    appeal_id: appealRef(),
  }),
);

export const clearLateSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({ version: versionField(), reason: text("取消迟报的理由", REASON_MAX), appeal_id: appealRef() }),
);

export const removeRecordSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({
    record_id: z.string({ error: "请刷新后重试。" }).transform((v, ctx) => idOrIssue(v, ctx, "记录编号无效，请刷新后重试。")),
    reason: text("删除理由", REASON_MAX),
    appeal_id: appealRef(),
  }),
);

export const appealSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({
    subject: z.enum(SUBJECT_CODES, { error: "请选择申诉的事项" }),
    reason: text("申诉理由", REASON_MAX),
  }),
);

export const answerSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({
    appeal_id: z.string({ error: "请刷新后重试。" }).transform((v, ctx) => idOrIssue(v, ctx, "申诉编号无效，请刷新后重试。")),
    outcome: z.enum(["upheld", "corrected"], { error: "请选择答复结果" }),
    answer: text("答复理由", REASON_MAX),
  }),
);

/** 签发 while appeals are open needs the reason it cannot wait. */
export function appealsOverrideField() {
  return optionalText("不等申诉答复即签发的理由", REASON_MAX);
}
