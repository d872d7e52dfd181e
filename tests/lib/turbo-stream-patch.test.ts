// patches/turbo-stream+2.4.1.patch: Remix encodes every page's data with turbo-stream on every
// request. Unpatched, each value seen before (a repeated key such as "name", a shared row) comes back
// from flatten as [index] and was joined into the text through Array.prototype.join, and each
// object built a closure and two arrays: half of the encoding's time on a league page. The patch
// writes the same text without them. These tests fail if the patch is missing or changes the text.
import { createRequire } from "node:module";
import type { EncodePlugin } from "turbo-stream";
import { afterEach, describe, expect, it, vi } from "vitest";

// The CommonJS build, as Remix's server runtime loads it (the patch leaves the browser's build alone).
const { encode } = createRequire(import.meta.url)("turbo-stream") as typeof import("turbo-stream");

async function encoded(value: unknown, options?: Parameters<typeof encode>[1]): Promise<string> {
  const reader = encode(value, options).getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) return text;
    text += decoder.decode(chunk);
  }
}

class Tagged {
  constructor(readonly v: unknown[]) {}
}

afterEach(() => vi.restoreAllMocks());

describe("turbo-stream's encoding (patched)", () => {
  it("writes byte for byte what turbo-stream 2.4.1 wrote", async () => {
    // Expected texts recorded from the unpatched package.
    const shared = { unit: "城关镇中心学校", points: 12.5 };
    const page = {
      user: { id: 5, name: "田振蕾", role: "correspondent", active: true, note: null, gone: undefined },
      rows: [shared, shared, { unit: "城关镇中心学校", points: 12.5, rank: 1, tied: false }, [1, , 3], [-0, NaN, Infinity, -Infinity, 1e21, -1e-7, 0.1 + 0.2]],
      text: "引号\"反斜杠\\换行\n</script><!--",
      when: new Date(Date.UTC(2026, 10, 30)),
      set: new Set([1, "1", shared]),
      map: new Map<unknown, unknown>([[1, shared], ["k", [2, "k"]]]),
      bare: Object.assign(Object.create(null), { n: 1, unit: "城关镇中心学校" }),
      errors: [new Error("坏了"), new TypeError("类型")],
      big: 10n,
      sym: Symbol.for("s"),
      url: new URL("http://127.0.0.1/rankings?kind=town"),
      re: /排行/gi,
      tagged: new Tagged(["城关镇中心学校", 7]),
    };
    const plugins: EncodePlugin[] = [(v) => (v instanceof Tagged ? ["T", ...v.v] : false)];
    expect(await encoded(page, { plugins })).toBe(
      "[{\"_1\":2,\"_13\":14,\"_31\":32,\"_33\":34,\"_35\":36,\"_38\":39,\"_43\":44,\"_46\":47,\"_50\":51,\"_52\":53,\"_54\":55,\"_56\":57,\"_58\":59},\"user\",{\"_3\":4,\"_5\":6,\"_7\":8,\"_9\":10,\"_11\":-5,\"_12\":-7},\"id\",5,\"name\",\"田振蕾\",\"role\",\"correspondent\",\"active\",true,\"note\",\"gone\",\"rows\",[15,15,20,25,27],{\"_16\":17,\"_18\":19},\"unit\",\"城关镇中心学校\",\"points\",12.5,{\"_16\":17,\"_18\":19,\"_21\":22,\"_23\":24},\"rank\",1,\"tied\",false,[22,-1,26],3,[-4,-2,-6,-3,28,29,30],1e+21,-1e-7,0.30000000000000004,\"text\",\"引号\\\"反斜杠\\\\换行\\n</script><!--\",\"when\",[\"D\",1795996800000],\"set\",[\"S\",22,37,15],\"1\",\"map\",[\"M\",22,15,40,41],\"k\",[42,40],2,\"bare\",[\"N\",{\"_45\":22,\"_16\":17}],\"n\",\"errors\",[48,49],[\"E\",\"坏了\"],[\"E\",\"类型\",\"TypeError\"],\"big\",[\"B\",\"10\"],\"sym\",[\"Y\",\"s\"],\"url\",[\"U\",\"http://127.0.0.1/rankings?kind=town\"],\"re\",[\"R\",\"排行\",\"gi\"],\"tagged\",[\"T\",17,60],7]\n",
    );
    expect(await encoded([shared, "城关镇中心学校", shared.unit, 12.5, true, false, null, undefined, ""])).toBe(
      "[[1,3,3,5,6,7,-5,-7,8],{\"_2\":3,\"_4\":5},\"unit\",\"城关镇中心学校\",\"points\",12.5,true,false,\"\"]\n",
    );
  });

  it("joins no array per repeated value or object: one join for the whole line", async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ unitId: i, name: `学校${i % 5}`, points: i % 3, own: false }));
    const join = vi.spyOn(Array.prototype, "join");
    // turbo-stream flattens the whole value synchronously when the stream is created.
    const stream = encode({ rows, again: rows[0] });
    const joins = join.mock.calls.length;
    join.mockRestore();
    expect(joins).toBe(1);
    expect(await encoded({ rows, again: rows[0] })).toContain(`"again"`);
    await stream.cancel();
  });
});
