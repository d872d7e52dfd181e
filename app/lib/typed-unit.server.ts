// A form's unit typed as a code or name. While a county's units are few a form picks its unit from a
// drop-down that sends the unit's id; at province scale the drop-down would be megabytes, so the
// form shows a text box instead and says so with a hidden `unit_by=text`. The action reads the
// typed text here into the id the rest of the action expects, so both forms share one action.
import { echoedValues, formValues, type FormFailure } from "~/lib/form.server";
import { pickUnit, unitPickProblem, type PickableUnit } from "~/domain/unit-pick";

/**
 * With `unit_by=text`, a copy of the form whose `field` holds the id of the unit typed there as
 * its code or whole name (this is a write: no part of a name, never a number as an id); else the
 * form itself. A refusal says why the text names no one unit. The action parses the copy and
 * answers any later refusal with the form as sent, so the box shows what was typed.
 */
export async function readTypedUnit(
  form: FormData, field: string, units: () => Promise<readonly PickableUnit[]>, intent?: string,
): Promise<{ ok: true; form: FormData } | { ok: false; failure: FormFailure }> {
  if (form.get("unit_by") !== "text") return { ok: true, form };
  const typed = String(form.get(field) ?? "").trim();
  if (typed === "") return { ok: true, form };
  const pick = pickUnit(await units(), typed, { ids: false, partial: false });
  if (!pick.unit) {
    return { ok: false, failure: { ok: false, ...(intent ? { intent } : {}), fieldErrors: { [field]: unitPickProblem(pick) }, values: echoedValues(formValues(form)) } };
  }
  const copy = new FormData();
  for (const [key, value] of form.entries()) copy.append(key, value);
  copy.set(field, String(pick.unit.id));
  return { ok: true, form: copy };
}
