// The Word documents the portal serves, as LibreOffice lays them out: converted to PDF, read as
// text, and the first page rendered to a PNG (kept with the screenshots) to find the red 版头 / 报头.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";
import { expect } from "vitest";
import { SCREENSHOT_DIR } from "./portal";

/** Converts a .docx to PDF beside it in `outDir` with LibreOffice; returns the PDF's path. */
export function docxToPdf(docx: string, outDir: string, timeout = 180_000): string {
  const converted = spawnSync("soffice", ["--headless", "--convert-to", "pdf", "--outdir", outDir, docx], { encoding: "utf8", timeout });
  expect(converted.status, converted.stderr).toBe(0);
  const pdf = path.join(outDir, `${path.basename(docx, ".docx")}.pdf`);
  expect(existsSync(pdf)).toBe(true);
  return pdf;
}

/** The PDF's text without whitespace (pdftotext spaces Latin from Chinese and breaks lines). */
export function flatPdfText(pdf: string): string {
  const text = spawnSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
  expect(text.status, text.stderr).toBe(0);
  return text.stdout.replace(/\s+/g, "");
}

/**
 * Renders the PDF's first page to SCREENSHOT_DIR/<name>.png and asserts that its top is red where
 * the 版头 / 报头 stands: many strongly red pixel rows, all of them within the top third of the page.
 */
export function expectRedHeadOnFirstPage(pdf: string, name: string) {
  const base = path.join(SCREENSHOT_DIR, name);
  const rendered = spawnSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf, base], { encoding: "utf8" });
  expect(rendered.status, rendered.stderr).toBe(0);
  const png = PNG.sync.read(readFileSync(`${base}.png`));
  const redRows = new Set<number>();
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      if (png.data[i] > 180 && png.data[i + 1] < 90 && png.data[i + 2] < 90) redRows.add(y);
    }
  }
  expect(redRows.size).toBeGreaterThan(10);
  expect(Math.max(...redRows)).toBeLessThan(png.height / 3);
}
