// GET /admin/import/template?kind=units|accounts: the import template as a real .xlsx.
import { attachmentDisposition } from "~/domain/download-name";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { badRequest } from "~/lib/form.server";
import { requirePermission } from "~/lib/session.server";
import { buildTemplate, IMPORT_KINDS } from "~/models/import.server";
import { resourceLoader } from "~/lib/resource-route.server";

export const loader = resourceLoader(async ({ request, context }: LoaderFunctionArgs) => {
  await requirePermission(request, context, "admin.import");
  const kindParam = new URL(request.url).searchParams.get("kind");
  const spec = IMPORT_KINDS.find((k) => k.code === kindParam);
  if (!spec) throw badRequest("请指定模板类型：kind=units（单位）或 kind=accounts（账号）");
  const body = await buildTemplate(context.dbs.reader, spec.code);
  const filename = `${spec.name}导入模板.xlsx`;
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": attachmentDisposition(`${spec.code}-template.xlsx`, filename),
      "Content-Length": String(body.length),
      "Cache-Control": "no-store",
    },
  });
});
