// An account import hashes its passwords a few at a time. All at once, 5,000 scrypt hashes took
// every thread of libuv's pool (where every sqlite3 query runs too), so every other page of the
// portal waited for the whole import.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDirectory } from "~/models/import.server";
import { BULK_HASHES_IN_FLIGHT, hashPasswords, verifyPassword } from "~/models/password.server";
import { setupCounty, type County } from "../support/app";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
});
afterAll(async () => county.dbs.dispose());

const actor = { id: 1, username: "admin", ip: "10.3.3.3" };

function accountsCsv(prefix: string, n: number): Uint8Array {
  const lines = ["用户名,姓名,手机号,角色,单位代码,初始密码"];
  for (let i = 1; i <= n; i++) lines.push(`${prefix}${i},测试${i},,信息员,A01,Kaishi#${i}Lx${prefix}`);
  return new TextEncoder().encode(`${lines.join("\n")}\n`);
}

/** A hash function that takes a few milliseconds, finishes out of order, and counts how many run at once. */
function countingHash() {
  const seen = { now: 0, most: 0, calls: 0 };
  const hash = async (password: string) => {
    seen.calls++;
    seen.most = Math.max(seen.most, ++seen.now);
    await new Promise((resolve) => setTimeout(resolve, 1 + ((seen.calls * 7) % 5)));
    seen.now--;
    return `counted$${password}`;
  };
  return { seen, hash };
}

describe("hashPasswords", () => {
  const passwords = Array.from({ length: 25 }, (_, i) => `密码-${i}`);
  const cases: Array<[string, number | undefined, number]> = [
    ["默认：同时至多 BULK_HASHES_IN_FLIGHT 个", undefined, BULK_HASHES_IN_FLIGHT],
    ["一次一个", 1, 1],
    ["一次三个", 3, 3],
    ["上限比密码多：同时的就是全部", 100, passwords.length],
  ];
  it.each(cases)("%s", async (_name, inFlight, most) => {
    const { seen, hash } = countingHash();
    const hashes = await hashPasswords(passwords, inFlight === undefined ? { hash } : { hash, inFlight });
    expect(seen.most).toBe(most);
    expect(seen.calls).toBe(passwords.length);
    expect(hashes).toEqual(passwords.map((p) => `counted$${p}`));
  });

  it("两次导入同时进行：合起来同时至多 BULK_HASHES_IN_FLIGHT 个，各自得到自己的哈希", async () => {
    const { seen, hash } = countingHash();
    const other = passwords.map((p) => `另一批-${p}`);
    const [a, b] = await Promise.all([hashPasswords(passwords, { hash }), hashPasswords(other, { hash })]);
    expect(seen.most).toBe(BULK_HASHES_IN_FLIGHT);
    expect(seen.calls).toBe(passwords.length * 2);
    expect(a).toEqual(passwords.map((p) => `counted$${p}`));
    expect(b).toEqual(other.map((p) => `counted$${p}`));
  });

  it("没有密码时什么也不做", async () => {
    const { seen, hash } = countingHash();
    expect(await hashPasswords([], { hash })).toEqual([]);
    expect(seen.calls).toBe(0);
  });

});

describe("importDirectory hashes accounts a few at a time", () => {
  it("60 accounts: never more than BULK_HASHES_IN_FLIGHT hashes at once, and every account gets its own password's hash", async () => {
    const { seen, hash } = countingHash();
    const result = await importDirectory(county.dbs.db, { kind: "accounts", bytes: accountsCsv("pl", 60), filename: "账号.csv" }, actor, { hashing: { hash } });
    expect(result).toEqual({ ok: true, kind: "accounts", count: 60 });
    expect(seen.most).toBe(BULK_HASHES_IN_FLIGHT);
    const rows = await county.dbs.db.selectFrom("accounts").select(["username", "password_hash", "must_change_password"]).where("username", "like", "pl%").execute();
    expect(rows).toHaveLength(60);
    for (const row of rows) {
      expect(row.password_hash).toBe(`counted$Kaishi#${row.username.slice(2)}Lxpl`);
      expect(row.must_change_password).toBe(1);
    }
  });

  it("with the real scrypt, each imported account signs in with its own initial password", async () => {
    const result = await importDirectory(county.dbs.db, { kind: "accounts", bytes: accountsCsv("sc", 5), filename: "账号.csv" }, actor);
    expect(result).toEqual({ ok: true, kind: "accounts", count: 5 });
    const rows = await county.dbs.db.selectFrom("accounts").select(["username", "password_hash"]).where("username", "like", "sc%").orderBy("username").execute();
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      const i = row.username.slice(2);
      expect(await verifyPassword(`Kaishi#${i}Lxsc`, row.password_hash)).toBe(true);
      expect(await verifyPassword(`Kaishi#${i}Lxpl`, row.password_hash)).toBe(false);
    }
  });

  it("a file with a bad row hashes nothing and writes nothing", async () => {
    const { seen, hash } = countingHash();
    const bad = new TextEncoder().encode("用户名,姓名,手机号,角色,单位代码,初始密码\nbad1,测试,,信息员,A01,Kaishi#1Lxbad\nbad2,测试,,信息员,ZZ9,Kaishi#2Lxbad\n");
    const result = await importDirectory(county.dbs.db, { kind: "accounts", bytes: bad, filename: "账号.csv" }, actor, { hashing: { hash } });
    expect(result.ok).toBe(false);
    expect(seen.calls).toBe(0);
    expect(await county.dbs.db.selectFrom("accounts").select("id").where("username", "like", "bad%").execute()).toEqual([]);
  });
});
