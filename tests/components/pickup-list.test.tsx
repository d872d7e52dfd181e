// The 上稿 and 批示 of an item, as its unit and the reviewer read them: both lines name who carried
// or instructed it first, then (level, date), as the message on registering them does.
import { renderToStaticMarkup } from "react-dom/server";
import { expect, it } from "vitest";
import { PickupList } from "~/components/item-view";

it("writes a 批示 as a 上稿 is written: name, then level and date in brackets", () => {
  const text = renderToStaticMarkup(
    <PickupList
      pickups={[{ id: 1, outlet: "临溪日报", tier: "city", picked_on: "2026-12-07", url: "" }]}
      instructions={[
        { id: 2, level: "county", leader: "县政府副县长 王某", content: "经验做法值得推广", instructed_on: "2026-12-08" },
        { id: 3, level: "city", leader: "", content: "", instructed_on: "2026-12-09" },
      ]}
    />,
  ).replace(/<[^>]+>/g, "\n").split("\n").map((l) => l.trim()).filter(Boolean);
  expect(text).toEqual([
    "上稿：临溪日报（市级，2026-12-07）",
    "批示：县政府副县长 王某（县区级，2026-12-08）：经验做法值得推广",
    "批示：领导批示（市级，2026-12-09）",
  ]);
});
