// A form's unit typed as a code or name. While a county's units are few a form picks its unit from a
// drop-down that sends the unit's id; at province scale the drop-down would be megabytes, so the
// form shows a text box instead and says so with a hidden `unit_by=text`. The action reads the
// typed text here into the id the rest of the action expects, so both forms share one action.
import { formValues, type FormFailure } from "~/lib/form.server";
import { pickUnit, unitPickProblem, type PickableUnit } from "~/domain/unit-pick";

/**
 * With `unit_by=text`, `field`'s code or name is replaced by the unit's id. Only an exact code or
 * whole name is taken (this is a write), never a number as an id; a refusal says why otherwise.
 */
export async function readTypedUnit(
  form: FormData, field: string, units: () => Promise<readonly PickableUnit[]>, intent?: string,
): Promise<FormFailure | null> {
  if (form.get("unit_by") !== "text") return null;
  const typed = String(form.get(field) ?? "").trim();
  if (typed === "") return null;
  const pick = pickUnit(await units(), typed, { ids: false, partial: false });
  if (!pick.unit) return { ok: false, ...(intent ? { intent } : {}), fieldErrors: { [field]: unitPickProblem(pick) }, values: formValues(form) };
  form.set(field, String(pick.unit.id));
  return null;
}
