// The photos of an item as the lead and the reviewer see them: the words found in a caption are
// marked as in the title and body; a public reader's page (no hits given) shows the caption plain.
import { renderToStaticMarkup } from "react-dom/server";
import { expect, it } from "vitest";
import { PhotoGrid } from "~/components/item-view";
import { buildMatcher, findSensitiveWords } from "~/domain/sensitive-words";

const photos = [
  { id: 31, caption: "师生有序撤离", width: 800, height: 600 },
  { id: 32, caption: "其它班级观摩机密演练", width: 600, height: 800 },
];
const matcher = buildMatcher([{ word: "其它", level: "warn" }, { word: "机密", level: "block" }]);

it("marks the words found in a caption, by photo id", () => {
  const html = renderToStaticMarkup(<PhotoGrid photos={photos} hits={{ "32": findSensitiveWords(matcher, photos[1].caption) }} />);
  expect([...html.matchAll(/<mark class="hit hit--(\w+)"[^>]*>([^<]*)<\/mark>/g)].map((m) => `${m[2]}/${m[1]}`)).toEqual(["其它/warn", "机密/block"]);
  expect(html).toContain("<figcaption>师生有序撤离</figcaption>");
});

it("shows captions plain when no hits are given", () => {
  const html = renderToStaticMarkup(<PhotoGrid photos={photos} />);
  expect(html).not.toContain("<mark");
  expect(html).toContain("<figcaption>其它班级观摩机密演练</figcaption>");
});
