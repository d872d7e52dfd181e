// GET /register/:year/export?format=xlsx — the server maps /register/2026.xlsx here. Reviewers and
// admins get every unit; a lead gets their own unit's sheet.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseRegisterYear, registerScope } from "~/domain/register";
import { shanghaiDate } from "~/domain/time";
import { badRequest } from "~/lib/form.server";
import { registerDisposition, registerWorkbookOffThread } from "~/lib/register-export.server";
import { forbidden, notFound, requireUser } from "~/lib/session.server";
import { registerFor } from "~/models/register.server";
import { resourceLoader } from "~/lib/resource-route.server";

export const loader = resourceLoader(async ({ request, params, context }: LoaderFunctionArgs) => {
  const user = await requireUser(request, context);
  const scope = registerScope({ role: user.role, unitId: user.unitId });
  if (!scope) forbidden();
  const format = new URL(request.url).searchParams.get("format") ?? "xlsx";
  if (format !== "xlsx") throw badRequest("登记表只提供 Excel（xlsx）下载。");
  const now = new Date();
  const year = parseRegisterYear(params.year, Number(shanghaiDate(now).slice(0, 4)));
  if (year === null) notFound("没有这一年的登记表。");
  const view = await registerFor(context.dbs.reader, year, { unitId: scope.all ? null : scope.unitId }, now);
  const unit = scope.all ? undefined : view.kinds[0]?.units[0];
  const body = await registerWorkbookOffThread({ view, unitName: unit?.name });
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": registerDisposition(view, unit),
      "Content-Length": String(body.byteLength),
      "Cache-Control": "private, no-store",
    },
  });
});
