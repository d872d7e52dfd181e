// GET /admin/audit/export?format=csv — the server maps /admin/audit.csv here. The same filters and
// the same scope as the page, every matching entry, streamed.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { auditLogScope } from "~/domain/audit-log";
import { shanghaiDate } from "~/domain/time";
import { auditLogCsvStream, auditLogDisposition, readAuditLogQuery } from "~/lib/audit-log.server";
import { badRequest } from "~/lib/form.server";
import { forbidden, requireUser } from "~/lib/session.server";
import { listUnitOptions } from "~/models/units.server";
import { resourceLoader } from "~/lib/resource-route.server";

export const loader = resourceLoader(async ({ request, context }: LoaderFunctionArgs) => {
  const user = await requireUser(request, context);
  const scope = auditLogScope(user.role);
  if (!scope) forbidden();
  const params = new URL(request.url).searchParams;
  if ((params.get("format") ?? "csv") !== "csv") throw badRequest("操作日志只提供 CSV 下载。");
  const units = await listUnitOptions(context.dbs.reader);
  const { filters } = readAuditLogQuery(params, scope, units);
  return new Response(auditLogCsvStream(context.dbs.reader, filters), {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": auditLogDisposition(filters, shanghaiDate(new Date())),
      "Cache-Control": "private, no-store",
    },
  });
});
