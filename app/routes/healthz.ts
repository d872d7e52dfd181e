import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { sql } from "kysely";

export async function loader({ context }: LoaderFunctionArgs) {
  const started = Date.now();
  try {
    const { rows } = await sql<{ ok: number }>`select 1 as ok`.execute(context.dbs.reader);
    return json(
      { status: "ok", database: rows[0]?.ok === 1 ? "ok" : "error", ms: Date.now() - started },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch {
    return json({ status: "error", database: "error" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
