// The notice forms' zod schemas, shared by the actions and the pages that show their errors.
// Each is built by a function: a module-level zod call would carry zod into the pages' browser bundles.
import { z } from "zod";
import { appealsOverrideField } from "./appeals";
import { builtOnce, optionalText, text } from "./fields";
import { docNumberProblem, NOTICE_LIMITS, normalizeDocNumber } from "./notices";
import { isMonth } from "./time";

export const draftMonthSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({
    month: z.string({ error: "请选择月份" }).trim().refine(isMonth, "月份格式不正确，请刷新页面后重试"),
  }),
);

export const noticeTextSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({
    addressee: text("主送机关", NOTICE_LIMITS.addressee),
    doc_number: z
      .string()
      .optional()
      .default("")
      .transform(normalizeDocNumber)
      .refine((v) => v.length <= NOTICE_LIMITS.docNumber, `文号不能超过 ${NOTICE_LIMITS.docNumber} 个字`)
      .refine((v) => !v || !docNumberProblem(v), { message: docNumberProblem("X") ?? "" }),
    opening_text: text("开头", NOTICE_LIMITS.text),
    closing_text: optionalText("结尾", NOTICE_LIMITS.text),
  }),
);

export const adjustSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({
    list: z.enum(["commended", "criticised"], { error: "请选择表扬或通报批评名单" }),
    action: z.enum(["add", "remove"], { error: "请选择增加或移出" }),
    unit_id: z
      .string({ error: "请选择单位" })
      .trim()
      .regex(/^[1-9]\d*$/, "请选择单位")
      .transform(Number),
    reason: text("理由", NOTICE_LIMITS.reason),
  }),
);

export const publishSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({
    signer_name: text("签发人", NOTICE_LIMITS.signer),
    appeals_override: appealsOverrideField(),
  }),
);
