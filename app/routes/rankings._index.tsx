// /rankings → the current month's league; ?period= (the picker), ?month=YYYY-MM or ?year=YYYY → that period.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { parsePeriod } from "~/domain/rankings-view";
import { shanghaiMonth } from "~/domain/time";
import { requirePermission } from "~/lib/session.server";
import { resourceLoader } from "~/lib/resource-route.server";

export const loader = resourceLoader(async ({ request, context }: LoaderFunctionArgs) => {
  await requirePermission(request, context, "rankings.view");
  const params = new URL(request.url).searchParams;
  const asked = parsePeriod(params.get("period")) ?? parsePeriod(params.get("month")) ?? parsePeriod(params.get("year"));
  return redirect(`/rankings/${asked ? (asked.scope === "month" ? asked.month : asked.year) : shanghaiMonth(new Date())}`);
});
