// readForm: what a body must be before any action looks at its fields. Not UTF-8, control
// characters or a name sent twice is a Chinese 400; a content type no form uses is a 415; a
// broken body is a 400. Legitimate text (Chinese, emoji, tabs, line breaks) passes untouched.
import { describe, expect, it } from "vitest";
import { DUPLICATE_MESSAGE, formProblem, readForm, UNREADABLE_MESSAGE } from "~/lib/form.server";
import { MULTIPART_LIMITS, partHeaderGuard } from "~/lib/uploads.server";
import { isDataWithInit, responseOf } from "../support/app";

const URLENCODED = "application/x-www-form-urlencoded";
const BOUNDARY = "----unitfuzz";

function post(body: string | Uint8Array<ArrayBuffer>, contentType: string | null): Request {
  const headers = new Headers();
  if (contentType !== null) headers.set("Content-Type", contentType);
  return new Request("http://localhost/anything", { method: "POST", headers, body });
}

function multipart(parts: Array<{ name: string; value: string | Uint8Array; filename?: string | Uint8Array }>, close = true): Uint8Array<ArrayBuffer> {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"`));
    if (p.filename !== undefined) chunks.push(Buffer.from('; filename="'), Buffer.from(p.filename), Buffer.from('"\r\nContent-Type: image/png'));
    chunks.push(Buffer.from("\r\n\r\n"), Buffer.from(p.value), Buffer.from("\r\n"));
  }
  if (close) chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return new Uint8Array(Buffer.concat(chunks));
}
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

/** readForm's refusal as { status, formError }, or "ok" with the form's entries. */
async function read(request: Request, repeatable?: string[]) {
  try {
    const form = await readForm(request, { repeatable });
    return { ok: [...form.entries()].map(([k, v]) => [k, typeof v === "string" ? v : `file:${v.name}`]) };
  } catch (thrown) {
    if (!(thrown instanceof Response) && !isDataWithInit(thrown)) throw thrown;
    const answer = responseOf(thrown);
    const body = (await answer.json()) as { formError: string };
    return { status: answer.status, formError: body.formError };
  }
}

describe("readForm refuses text that is not clean UTF-8 with a Chinese 400", () => {
  const refused = { status: 400, formError: UNREADABLE_MESSAGE };
  it.each([
    ["%FF%FE in a urlencoded value", post("title=%E6%A0%87%FF%FE", URLENCODED)],
    ["a lone %C3 in a urlencoded value", post("title=caf%C3", URLENCODED)],
    ["an overlong encoding of '/'", post("title=%C0%AF", URLENCODED)],
    ["%FF in a urlencoded name", post("%FF=1", URLENCODED)],
    ["raw 0xFF bytes in a urlencoded body", post(new Uint8Array([0x74, 0x3d, 0xff, 0xfe]), URLENCODED)],
    ["raw 0xFF bytes in a multipart text part", post(multipart([{ name: "title", value: new Uint8Array([0x61, 0xff, 0xfe]) }]), MULTIPART)],
    ["a multipart file name that is not UTF-8", post(multipart([{ name: "photo_1", value: "png", filename: new Uint8Array([0x61, 0xff, 0x2e, 0x70]) }]), MULTIPART)],
    ["NUL in a urlencoded value", post("title=a%00b", URLENCODED)],
    ["NUL in a multipart text part", post(multipart([{ name: "title", value: "a\u0000b" }]), MULTIPART)],
    ["ESC", post("title=a%1Bb", URLENCODED)],
    ["BEL", post("body=a%07b", URLENCODED)],
    ["vertical tab", post("body=a%0Bb", URLENCODED)],
    ["form feed", post("body=a%0Cb", URLENCODED)],
    ["unit separator (0x1F)", post("body=a%1Fb", URLENCODED)],
    ["a literal U+FFFD", post("title=%EF%BF%BD", URLENCODED)],
    // Valid UTF-8, but characters XML 1.0 cannot carry: one in a title broke the Word bulletin.
    ["U+FFFF in a title", post("title=%E5%AE%89%EF%BF%BF%E5%85%A8", URLENCODED)],
    ["U+FFFE in a multipart body", post(multipart([{ name: "body", value: "正文\uFFFE" }]), MULTIPART)],
  ])("%s", async (_name, request) => {
    expect(await read(request)).toEqual(refused);
  });

  it("the message is Chinese and says what to do", () => {
    expect(UNREADABLE_MESSAGE).toMatch(/[\u4e00-\u9fff]/);
    expect(UNREADABLE_MESSAGE).toContain("编码");
  });
});

describe("readForm lets legitimate text through untouched", () => {
  it("Chinese, full-width punctuation, emoji, tabs and every kind of line break", async () => {
    const text = "城关镇中心学校\t开展“安全教育”活动！\r\n第二段😀\n第三段\r（完）";
    expect(await read(post(new URLSearchParams({ body: text }).toString(), URLENCODED))).toEqual({ ok: [["body", text]] });
    expect(await read(post(multipart([{ name: "body", value: text }]), MULTIPART))).toEqual({ ok: [["body", text]] });
  });

  it("DEL and C1 code points are not refused (they are valid UTF-8 and harmless in storage)", async () => {
    expect(await read(post("a=x%7Fy%C2%85z", URLENCODED))).toEqual({ ok: [["a", "x\u007fy\u0085z"]] });
  });

  it("an empty file input (a part with no name and no bytes) and empty values", async () => {
    const body = multipart([{ name: "title", value: "" }, { name: "photo_1", value: "", filename: "" }]);
    expect(await read(post(body, MULTIPART))).toEqual({ ok: [["title", ""], ["photo_1", "file:"]] });
  });
});

describe("readForm refuses a name sent twice unless the form repeats it on purpose", () => {
  it("two values for one name are ambiguous: 400, whatever the values", async () => {
    for (const body of ["intent=save&intent=delete", "intent=save&intent=save", "a=1&b=2&a=1"]) {
      expect(await read(post(body, URLENCODED)), body).toEqual({ status: 400, formError: DUPLICATE_MESSAGE });
    }
    expect(await read(post(multipart([{ name: "kind", value: "units" }, { name: "kind", value: "accounts" }]), MULTIPART))).toEqual({
      status: 400, formError: DUPLICATE_MESSAGE,
    });
  });

  it("two file parts under one name too", async () => {
    const body = multipart([{ name: "file", value: "a", filename: "a.csv" }, { name: "file", value: "b", filename: "b.csv" }]);
    expect(await read(post(body, MULTIPART))).toEqual({ status: 400, formError: DUPLICATE_MESSAGE });
  });

  it("a checkbox group named as repeatable keeps every value, in order", async () => {
    expect(await read(post("bylines=5&title=x&bylines=7&bylines=9", URLENCODED), ["bylines", "remove_photo"])).toEqual({
      ok: [["bylines", "5"], ["title", "x"], ["bylines", "7"], ["bylines", "9"]],
    });
    expect(await read(post("bylines=5&title=x&title=y", URLENCODED), ["bylines"])).toEqual({ status: 400, formError: DUPLICATE_MESSAGE });
  });

  it("unreadable text is reported before a duplicate", () => {
    const form = new FormData();
    form.append("a", "1");
    form.append("a", "\u0000");
    expect(formProblem(form)).toBe(UNREADABLE_MESSAGE);
  });
});

describe("readForm refuses what no form sends", () => {
  it.each([
    ["application/json", post('{"a":1}', "application/json")],
    ["text/plain", post("a=1", "text/plain;charset=UTF-8")],
    ["no content type", post(new Uint8Array(Buffer.from("a=1")), null)],
    ["application/xml", post("<a/>", "application/xml")],
  ])("%s is a 415", async (_name, request) => {
    const answer = await read(request);
    expect(answer).toMatchObject({ status: 415 });
    expect((answer as { formError: string }).formError).toMatch(/[\u4e00-\u9fff]/);
  });

  it.each([
    ["multipart cut mid-part", post(multipart([{ name: "title", value: "标题" }, { name: "body", value: "正文" }]).subarray(0, 60), MULTIPART)],
    ["multipart whose boundary never closes", post(multipart([{ name: "title", value: "标题" }], false), MULTIPART)],
    ["multipart without a boundary", post(multipart([{ name: "title", value: "标题" }]), "multipart/form-data")],
    ["multipart with an empty body", post("", MULTIPART)],
  ])("%s is a 400", async (_name, request) => {
    const answer = await read(request);
    expect(answer).toMatchObject({ status: 400 });
    expect((answer as { formError: string }).formError).toMatch(/[\u4e00-\u9fff]/);
  });
});

// Empty parts cost the text cap nothing, and a part's headers were kept whole until the blank line
// that ends them: 1.5 million empty parts in one 80 MB upload held the server for 40 seconds, and
// one part whose headers never ended took it past 1.5 GB (tests/e2e/attacks-uploads.test.ts).
describe("readForm bounds how many parts a multipart body has and how long a part's headers run", () => {
  const emptyParts = (n: number) => multipart(Array.from({ length: n }, (_, i) => ({ name: `f${i}`, value: "" })));

  it(`${MULTIPART_LIMITS.parts} parts are read; one more is a 413 that says why`, async () => {
    const ok = await read(post(emptyParts(MULTIPART_LIMITS.parts), MULTIPART));
    expect((ok as { ok: unknown[] }).ok).toHaveLength(MULTIPART_LIMITS.parts);
    expect(await read(post(emptyParts(MULTIPART_LIMITS.parts + 1), MULTIPART))).toEqual({
      status: 413, formError: `表单项目过多（上限 ${MULTIPART_LIMITS.parts} 项），请刷新页面后重新提交。`,
    });
  });

  it("a part's headers within the limit are read; longer ones, or ones that never end, are a 413", async () => {
    const longName = "n".repeat(MULTIPART_LIMITS.partHeaderBytes - 100);
    expect(await read(post(multipart([{ name: longName, value: "v" }]), MULTIPART))).toEqual({ ok: [[longName, "v"]] });
    const tooLong = { status: 413, formError: "表单中某一项的字段名或文件名过长（上限 16 KB），请刷新页面后重新提交。" };
    expect(await read(post(multipart([{ name: "n".repeat(MULTIPART_LIMITS.partHeaderBytes + 1), value: "v" }]), MULTIPART))).toEqual(tooLong);
    // Headers that never end: one line of 4 MB, or 4 MB of short lines, then the body stops.
    const endless = (filler: string) =>
      new Uint8Array(Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\n`), Buffer.alloc(4 * 1024 * 1024, filler)]));
    expect(await read(post(endless("x"), MULTIPART))).toEqual(tooLong);
    expect(await read(post(endless("X-A: b\r\n"), MULTIPART))).toEqual(tooLong);
    // Nothing after the closing boundary is a part, however long.
    const epilogue = new Uint8Array(Buffer.concat([multipart([{ name: "a", value: "1" }]), Buffer.alloc(64 * 1024, "x")]));
    expect(await read(post(epilogue, MULTIPART))).toEqual({ ok: [["a", "1"]] });
    // A file's name is part of its headers: a browser's few hundred bytes pass.
    const photo = multipart([{ name: "photo_1", value: "png", filename: `${"照片".repeat(100)}.png` }]);
    expect(await read(post(photo, MULTIPART))).toEqual({ ok: [["photo_1", `file:${"照片".repeat(100)}.png`]] });
  });
});

describe("partHeaderGuard finds parts however the body is cut into pieces", () => {
  /** The guard's output for `body` fed `size` bytes at a time, or the error it failed with. */
  async function guarded(body: Uint8Array, size: number, max = 64): Promise<string | Error> {
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < body.length; i += size) controller.enqueue(body.slice(i, i + size));
        controller.close();
      },
    });
    const out: Buffer[] = [];
    try {
      const reader = source.pipeThrough(partHeaderGuard(BOUNDARY, max)).getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) out.push(Buffer.from(r.value));
      return Buffer.concat(out).toString();
    } catch (error) {
      return error as Error;
    }
  }

  it.each([1, 2, 3, 5, 7, 64, 4096])("in pieces of %i bytes: a form passes unchanged; headers past the limit fail", async (size) => {
    // Headers of 46–50 bytes each (the limit here is 64), a value that looks like a boundary's start.
    const form = multipart([{ name: "a", value: "--" }, { name: "title", value: `---${BOUNDARY.slice(0, 5)}\r\n\r\n` }, { name: "b", value: "" }]);
    expect(await guarded(form, size)).toBe(Buffer.from(form).toString());
    const long = multipart([{ name: "a", value: "1" }, { name: "n".repeat(30), value: "2" }]);
    expect(await guarded(long, size)).toBeInstanceOf(Error);
    const endless = new Uint8Array(Buffer.from(`preamble\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\nX: ${"y".repeat(40)}`));
    expect(await guarded(endless, size)).toBeInstanceOf(Error);
    // After the closing boundary nothing is a part.
    const closed = new Uint8Array(Buffer.concat([multipart([{ name: "a", value: "1" }]), Buffer.alloc(500, "z")]));
    expect(await guarded(closed, size)).toBe(Buffer.from(closed).toString());
  });
});
