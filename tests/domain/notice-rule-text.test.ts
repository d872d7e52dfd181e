// The notice editor's 本期规则 line names every criticism the notice's lead-in names, the unfinished
// requests included, so the reviewer is not left wondering why a unit that met its quota is criticised.
import { describe, expect, it } from "vitest";
import { selectionRuleText } from "~/domain/notices";
import type { NoticeDocument } from "~/domain/notice-document";

const monthly = (thresholds: Record<string, number>) => ({ kind: "monthly", thresholds }) as unknown as NoticeDocument["body"];
const T = { commendTopN: 3, criticiseBelowCompletion: 0.5, criticiseMinLate: 3 };

describe("selectionRuleText", () => {
  it("names the unfinished requests when the month's rules criticise them", () => {
    expect(selectionRuleText(monthly({ ...T, requestMissThreshold: 2 }))).toBe(
      "表扬：每类完成任务且未被批评的单位中积分前 3 名；批评：不报、完成率低于 50%、迟报达到 3 篇、约稿未完成达到 2 项。",
    );
  });

  it("leaves them out for a notice drafted before requests were counted", () => {
    expect(selectionRuleText(monthly(T))).toBe("表扬：每类完成任务且未被批评的单位中积分前 3 名；批评：不报、完成率低于 50%、迟报达到 3 篇。");
  });
});
