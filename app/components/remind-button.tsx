// One click to remind a unit (催报): a plain POST form to /reminders, so it works without
// JavaScript; the action sends the reminder and comes back to `redirectTo` with a message.
import { Form } from "@remix-run/react";
import { formatShanghai } from "~/domain/time";

export function RemindButton({
  unitId,
  unitName,
  reason,
  redirectTo = "/",
  lastRemindedAt,
}: {
  unitId: number;
  unitName: string;
  /** Recorded with the reminder and shown to the unit, e.g. the forecast's "预计差 3 条". */
  reason?: string;
  /** Where to come back to (a path on this site). */
  redirectTo?: string;
  /** This month's latest reminder of the unit, if any (ISO instant). */
  lastRemindedAt?: string | null;
}) {
  return (
    <Form method="post" action="/reminders" className="button-row remind-button">
      <input type="hidden" name="unit_id" value={unitId} />
      {reason ? <input type="hidden" name="reason" value={reason} /> : null}
      <input type="hidden" name="redirect_to" value={redirectTo} />
      <button type="submit" className="button--secondary button--small" aria-label={`向${unitName}发送催报`}>
        催报
      </button>
      {lastRemindedAt ? <span className="muted small">已催报 {formatShanghai(lastRemindedAt).slice(5)}</span> : null}
    </Form>
  );
}
