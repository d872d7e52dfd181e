// GET /rankings/:period/export?format=xlsx|csv — the server maps /rankings/2026-10.xlsx here.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { badRequest } from "~/lib/form.server";
import { exportDisposition, rankingsCsvStream, rankingsWorkbook } from "~/lib/rankings-export.server";
import { notFound, requirePermission } from "~/lib/session.server";
import { rankingsFor } from "~/models/rankings.server";
import { resourceLoader } from "~/lib/resource-route.server";

const FORMATS = ["xlsx", "csv"] as const;
type Format = (typeof FORMATS)[number];

export const loader = resourceLoader(async ({ request, params, context }: LoaderFunctionArgs) => {
  await requirePermission(request, context, "rankings.view");
  const requested = new URL(request.url).searchParams.get("format") ?? "xlsx";
  if (!FORMATS.includes(requested as Format)) throw badRequest("请选择下载格式：xlsx（Excel）或 csv。");
  const format = requested as Format;
  const view = await rankingsFor(context.dbs.reader, params.period ?? "");
  if (!view) notFound("没有这个时间段的排行榜。");
  if (format === "csv") {
    return new Response(rankingsCsvStream(view), {
      status: 200,
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": exportDisposition(view, format),
        "Cache-Control": "private, no-store",
      },
    });
  }
  const body = new Uint8Array(await rankingsWorkbook(view));
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type":
        format === "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8",
      "Content-Disposition": exportDisposition(view, format),
      "Content-Length": String(body.byteLength),
      "Cache-Control": "private, no-store",
    },
  });
});
