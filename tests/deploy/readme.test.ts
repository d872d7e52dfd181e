// The deployment files in the README's "部署到县里的服务器" are the ones people copy: each is taken
// from the README and checked by the program that will read it, where that program exists here.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const readme = readFileSync(path.resolve("README.md"), "utf8");
const section = (() => {
  const start = readme.indexOf("## 部署到县里的服务器");
  const end = readme.indexOf("\n## ", start + 1);
  return start < 0 ? "" : readme.slice(start, end < 0 ? undefined : end);
})();
const block = (lang: string) => [...section.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]);
const has = (program: string) => spawnSync("sh", ["-c", `command -v ${program}`]).status === 0;

const dir = mkdtempSync(path.join(os.tmpdir(), "portal-deploy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("has the section with one service file and one nginx site", () => {
  expect(section).not.toBe("");
  expect(block("ini")).toHaveLength(1);
  expect(block("nginx")).toHaveLength(1);
});

describe("the systemd service", () => {
  const unit = block("ini")[0] ?? "";

  it("runs the production build with the data outside the program", () => {
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node build\/index\.js$/m);
    expect(unit).toMatch(/^Environment=NODE_ENV=production$/m);
    expect(unit).toMatch(/^Environment=DATA_DIR=\/var\/lib\/portal$/m);
    expect(unit).toMatch(/^ReadWritePaths=\/var\/lib\/portal$/m);
  });

  it.skipIf(!has("systemd-analyze"))("passes systemd-analyze verify", () => {
    const file = path.join(dir, "portal.service");
    writeFileSync(file, unit);
    const result = spawnSync("systemd-analyze", ["verify", file], { encoding: "utf8" });
    // verify exits 0 on some mistakes and only prints them: any line about the file is a failure.
    const complaints = `${result.stdout}${result.stderr}`.split("\n").filter((l) => l.includes("portal.service"));
    expect(complaints).toEqual([]);
    expect(result.status).toBe(0);
  });
});

describe("the nginx site", () => {
  const site = block("nginx")[0] ?? "";

  it("forwards what the portal trusts from a proxy on this machine", () => {
    expect(site).toMatch(/proxy_pass http:\/\/127\.0\.0\.1:3000;/);
    expect(site).toMatch(/proxy_set_header X-Forwarded-Proto \$scheme;/);
    expect(site).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
    expect(site).toMatch(/client_max_body_size 80m;/);
  });

  it.skipIf(!has("nginx") || !has("openssl"))("passes nginx -t (with a throwaway certificate)", () => {
    const crt = path.join(dir, "portal.crt");
    const key = path.join(dir, "portal.key");
    const made = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=portal.example.edu.cn", "-keyout", key, "-out", crt], { encoding: "utf8" });
    expect(made.status, made.stderr).toBe(0);
    const conf = path.join(dir, "nginx.conf");
    writeFileSync(
      conf,
      `pid ${path.join(dir, "nginx.pid")};\nerror_log ${path.join(dir, "error.log")};\nevents {}\nhttp {\n  access_log off;\n` +
        site.replace("/etc/nginx/ssl/portal.crt", crt).replace("/etc/nginx/ssl/portal.key", key) +
        "}\n",
    );
    const result = spawnSync("nginx", ["-t", "-p", dir, "-c", conf, "-e", path.join(dir, "error.log")], { encoding: "utf8" });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  });
});
