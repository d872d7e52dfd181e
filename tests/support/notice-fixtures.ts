// A published monthly notice in a test county: its month closed, the draft given its text and
// document number, and 签发 by the reviewer, through the models as the bureau does it.
import { getConfig } from "~/models/env.server";
import { closeMonth } from "~/models/month-close.server";
import { draftMonthlyNotice, publishNotice, updateNoticeText } from "~/models/notices.server";
import type { County } from "./app";

/** Closes `month` and publishes its notice; returns the notice's id. */
export async function publishedMonthlyNotice(county: County, month = "2025-11", closedAt = new Date("2026-01-05T02:00:00Z")): Promise<number> {
  const reviewer = { id: county.ids.reviewer, username: "reviewer", displayName: "赵审核" };
  const closed = await closeMonth(county.dbs.db, { month, actor: reviewer, now: closedAt });
  if (!closed.ok) throw new Error(closed.message);
  const notice = await draftMonthlyNotice(county.dbs.db, { month, actor: reviewer });
  if (!notice.ok) throw new Error("notice fixture");
  await updateNoticeText(county.dbs.db, {
    id: notice.id, actor: reviewer, fields: { addressee: "各学校", docNumber: "X教体办〔2026〕1号", opening: "通报如下。", closing: "" },
  });
  const signed = await publishNotice(county.dbs.db, { id: notice.id, actor: reviewer, signerName: "赵审核", dataDir: getConfig().dataDir });
  if (!signed.ok) throw new Error(signed.message);
  return notice.id;
}
