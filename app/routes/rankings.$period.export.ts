// GET /rankings/:period/export?format=xlsx|csv — the server maps /rankings/2026-10.xlsx here.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { badRequest } from "~/lib/form.server";
import { exportDisposition, rankingsFile } from "~/lib/rankings-export.server";
import { notFound, requirePermission } from "~/lib/session.server";
import { sharedRankings } from "~/models/rankings.server";
import { resourceLoader } from "~/lib/resource-route.server";

const FORMATS = ["xlsx", "csv"] as const;
type Format = (typeof FORMATS)[number];

const CONTENT_TYPES: Record<Format, string> = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
};

export const loader = resourceLoader(async ({ request, params, context }: LoaderFunctionArgs) => {
  await requirePermission(request, context, "rankings.view");
  const requested = new URL(request.url).searchParams.get("format") ?? "xlsx";
  if (!FORMATS.includes(requested as Format)) throw badRequest("请选择下载格式：xlsx（Excel）或 csv。");
  const format = requested as Format;
  const shared = await sharedRankings(context.dbs.reader, params.period ?? "");
  if (!shared) notFound("没有这个时间段的排行榜。");
  // Built once per league (until the next write that changes it) and format, then read.
  const body = await rankingsFile(shared.view, format);
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": CONTENT_TYPES[format],
      "Content-Disposition": exportDisposition(shared.view, format),
      "Content-Length": String(body.byteLength),
      "Cache-Control": "private, no-store",
    },
  });
});
