// Pages with several forms tell them apart by their `intent`: a refusal fills only the form that
// was sent, and one that no form on the page claims (an unknown intent, a form the page does not
// show) is shown at the top.
import { useActionData } from "@remix-run/react";
import { failedIntent, formStateOf, isFormFailure, type FormState } from "~/components/form-kit";

/** The state of the form named by `intent` from a given answer (see failedIntent). */
export function intentFormState(data: unknown, intent: string, idPrefix = ""): FormState {
  return formStateOf(data, intent, idPrefix);
}

/** The state of the page's form named by `intent`; a refusal of any other form leaves it untouched. */
export function useIntentForm(intent: string, idPrefix = ""): FormState {
  return intentFormState(useActionData(), intent, idPrefix);
}

/** The message of a refusal none of `intents` (the forms on screen) can show. */
export function useUnclaimedError(intents: readonly string[]): string | undefined {
  const data = useActionData();
  if (!isFormFailure(data)) return undefined;
  const intent = failedIntent(data);
  if (intent !== undefined && intents.includes(intent)) return undefined;
  return data.formError ?? Object.values(data.fieldErrors)[0];
}
