import { sql } from "kysely";
import { performance } from "node:perf_hooks";
import { openDatabases } from "../../db/connect";
const dbs = await openDatabases({ filename: "/tmp/l3-bench/portal.sqlite", readers: 2 });
const T = async (label: string, f: () => Promise<unknown> | unknown, n = 7) => {
  const ts: number[] = [];
  for (let i = 0; i < n; i++) { const t = performance.now(); await f(); ts.push(performance.now() - t); }
  ts.sort((a, b) => a - b); console.log(label, ts[n >> 1].toFixed(1), "ms (min", ts[0].toFixed(1), ")");
};
const cols = `u.id, u.code, u.name, u.kind_code, ifnull(s.submitted, 0), ifnull(s.adopted, 0), ifnull(s.late, 0), ifnull(s.item_points, 0), ifnull(s.pickups_national, 0), ifnull(s.pickups_province, 0), ifnull(s.pickups_city, 0), p.rank, ifnull(s.requests_fulfilled, 0), ifnull(s.requests_late, 0), ifnull(s.requests_missed, 0), ifnull(s.requests_declined, 0)`;
const colList = ["u.id","u.code","u.name","u.kind_code","ifnull(s.submitted, 0)","ifnull(s.adopted, 0)","ifnull(s.late, 0)","ifnull(s.item_points, 0)","ifnull(s.pickups_national, 0)","ifnull(s.pickups_province, 0)","ifnull(s.pickups_city, 0)","p.rank","ifnull(s.requests_fulfilled, 0)","ifnull(s.requests_late, 0)","ifnull(s.requests_missed, 0)","ifnull(s.requests_declined, 0)"];
const from = sql.raw(`from units u left join unit_month_stats s on s.unit_id = u.id and s.month = '2026-11' left join month_unit_snapshots p on p.close_id = 10 and p.unit_id = u.id where u.active = 1 or s.unit_id is not null`);
const nested = sql<{ j: string }>`select json_group_array(json_array(${sql.raw(cols)})) as j ${from}`;
const flat = sql<{ j: string }>`select '[' || group_concat(${sql.raw(colList.map((c) => c.includes("code") || c.includes("name") ? `json_quote(${c})` : `ifnull(${c}, 'null')`).join(" || ',' || "))}, ',') || ']' as j ${from}`;
let s1 = "", s2 = "";
await T("sql nested", async () => { s1 = (await nested.execute(dbs.reader)).rows[0].j; });
await T("sql flat", async () => { s2 = (await flat.execute(dbs.reader)).rows[0].j; });
console.log(s1.length, s2.length, s2.slice(0, 200));
await T("parse nested", () => JSON.parse(s1), 15);
await T("parse flat", () => JSON.parse(s2), 15);
await T("rows objects", async () => { await sql`select ${sql.raw(cols)} ${from}`.execute(dbs.reader); }, 3);
await dbs.close();
