// How many bytes a zip (an .xlsx) unpacks to, counted by inflating each entry as a stream and
// stopping once a budget is spent. The sizes a zip declares are not trusted: a few hundred KB of
// deflated identical rows unpack to hundreds of MB, and a spreadsheet library holds the whole sheet
// in memory (ten times its XML) while it parses, blocking every other request meanwhile. The entries
// are those JSZip lists, which is what the spreadsheet library (exceljs) reads the file with.
import JSZip from "jszip";

export type ZipSize = { ok: true; unpacked: number } | { ok: false; reason: "too_big" | "unreadable" };

/** Unpacks every entry of `bytes` (discarding the output) until more than `limit` bytes come out in all. */
export async function zipUnpackedSize(bytes: Uint8Array, limit: number): Promise<ZipSize> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  let unpacked = 0;
  for (const file of Object.values(zip.files)) {
    if (file.dir) continue;
    const outcome = await new Promise<"whole" | ZipSize>((resolve) => {
      const stream = file.nodeStream("nodebuffer");
      stream
        .on("data", (chunk: Buffer) => {
          unpacked += chunk.length;
          if (unpacked <= limit) return;
          // Paused, nothing more is inflated.
          stream.pause();
          resolve({ ok: false, reason: "too_big" });
        })
        .on("error", () => resolve({ ok: false, reason: "unreadable" }))
        .on("end", () => resolve("whole"));
    });
    if (outcome !== "whole") return outcome;
  }
  return { ok: true, unpacked };
}
