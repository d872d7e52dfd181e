// Deactivating and reactivating a unit or an account: nothing is deleted, so the section says what
// stays and offers the one button that applies. The route answers the intents "deactivate" and
// "reactivate" with `answerToggle` (lib/action-data.server.ts).
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { FormError } from "~/components/form-kit";
import { useIntentForm } from "~/components/intent-form";

export { TOGGLE_INTENTS } from "~/domain/directory";

export function ActiveToggle({
  noun, active, activeNote, inactiveNote,
}: {
  /** "单位" or "账号": the buttons read 停用此单位 / 重新启用此单位. */
  noun: string;
  active: boolean;
  /** Shown above the deactivate button: what deactivating does and keeps. */
  activeNote: ReactNode;
  /** Shown above the reactivate button, when something stands in its way. */
  inactiveNote?: ReactNode;
}) {
  const form = useIntentForm(active ? "deactivate" : "reactivate");
  return (
    <section className="card">
      <h2>启用与停用</h2>
      <FormError error={form.formError} />
      {active ? <p className="muted small">{activeNote}</p> : inactiveNote ? <p className="muted small">{inactiveNote}</p> : null}
      <Form method="post">
        {active ? (
          <>
            <input type="hidden" name="intent" value="deactivate" />
            <button type="submit" className="button--secondary">
              停用此{noun}
            </button>
          </>
        ) : (
          <>
            <input type="hidden" name="intent" value="reactivate" />
            <button type="submit">重新启用此{noun}</button>
          </>
        )}
      </Form>
    </section>
  );
}
