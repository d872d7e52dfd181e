// Database chores from the command line: `npm run db:migrate`, `npm run db:seed`.
import path from "node:path";
import { DEFAULT_DEMO_PASSWORD } from "./models/env.server";
import { hashPassword } from "./models/password.server";
import { openDatabases } from "../db/connect";
import { seedDemo } from "./models/demo.server";
import { DEMO_ACCOUNTS, isDatabaseEmpty } from "../db/seed/demo-county";

const dataDir = path.resolve(process.env.DATA_DIR || "./data");
const filename = path.join(dataDir, "portal.sqlite");
const command = process.argv[2];

async function main() {
  const dbs = await openDatabases({ filename, readers: 1 });
  try {
    if (command === "migrate") {
      console.log(`数据库已迁移到最新版本：${filename}`);
    } else if (command === "seed") {
      if (!(await isDatabaseEmpty(dbs.db))) {
        console.log("数据库中已有单位或账号，未生成演示数据。");
        return;
      }
      const password = process.env.DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD;
      const summary = await seedDemo(dbs.db, { passwordHash: await hashPassword(password), dataDir, now: new Date() });
      console.log(`已生成演示县：${summary.units} 个单位，${summary.accounts} 个账号，${summary.items} 篇稿件，已结算 ${summary.closedMonths.length} 个月。`);
      for (const a of DEMO_ACCOUNTS) console.log(`  ${a.label}：${a.username} / ${password}`);
    } else {
      console.error("用法：tsx app/cli.ts migrate|seed");
      process.exitCode = 2;
    }
  } finally {
    await dbs.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
