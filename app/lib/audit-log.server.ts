// The operations log's URL (filters and page) and its CSV: the page and the download read the same
// filters, so a download is exactly the view on screen without the paging.
import { attachmentDisposition } from "~/domain/download-name";
import { auditLogCells, auditLogColumns, auditLogLine, auditLogActionChoices, type AuditLogScope } from "~/domain/audit-log";
import { csvField } from "~/domain/csv";
import { param, readQuery } from "~/lib/query";
import { auditLogBatches, type AuditLogFilters } from "~/models/audit-log.server";
import { pickUnit, type PickableUnit } from "~/domain/unit-pick";

export function readAuditLogQuery<U extends PickableUnit>(params: URLSearchParams, scope: AuditLogScope, units: readonly U[]) {
  const actions = auditLogActionChoices(scope).flatMap((g) => g.options.map((o) => o.value));
  const q = readQuery(params, {
    person: param.text(30),
    action: param.oneOf(actions, ""),
    from: param.date(),
    to: param.date(),
    page: param.page(),
  });
  // A range given backwards is read the right way round.
  const [from, to] = q.from && q.to && q.from > q.to ? [q.to, q.from] : [q.from, q.to];
  // The unit is an id (the portal's links) or a code or name typed into the unit search box.
  const unitPick = pickUnit(units, params.get("unit") ?? undefined);
  const filters: AuditLogFilters = { scope, person: q.person, unitId: unitPick.unit?.id, action: q.action || undefined, from, to };
  const values = { person: q.person, unit: unitPick.unit ? String(unitPick.unit.id) : "", action: q.action, from: from ?? "", to: to ?? "" };
  return { filters, values, page: q.page, unitPick };
}

/** The CSV of every matching entry: UTF-8 with a BOM so Excel reads the Chinese, CRLF lines, a batch at a time. */
export function auditLogCsvStream(db: Parameters<typeof auditLogBatches>[0], filters: AuditLogFilters): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const line = (cells: readonly string[]) => `${cells.map(csvField).join(",")}\r\n`;
  let batches: ReturnType<typeof auditLogBatches> | null = null;
  return new ReadableStream({
    async pull(controller) {
      if (!batches) {
        batches = auditLogBatches(db, filters);
        controller.enqueue(encoder.encode(`\uFEFF${line(auditLogColumns(filters.scope))}`));
        return;
      }
      const next = await batches.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value.map((entry) => line(auditLogCells(filters.scope, auditLogLine(filters.scope, entry)))).join("")));
    },
    async cancel() {
      await batches?.return(undefined);
    },
  });
}

/** Content-Disposition with the Chinese name (RFC 5987) and an ASCII fallback. */
export function auditLogDisposition(filters: AuditLogFilters, today: string): string {
  const range = filters.from || filters.to ? `${filters.from ?? ""}至${filters.to ?? ""}` : today;
  const chinese = `操作日志-${range}.csv`;
  const ascii = `audit-${(filters.from || filters.to) ? `${filters.from ?? ""}_${filters.to ?? ""}` : today}.csv`;
  return attachmentDisposition(ascii, chinese);
}
