// Online backup and offline restore of the portal's data directory.
//
//   npm run db:backup -- <file>    while the portal serves: SQLite's backup API, then a check
//   npm run db:restore -- <file>   into a stopped portal: refuses while anything has it open
//
// The database is the record. Photos and notice documents are content-addressed files under
// DATA_DIR/photos and DATA_DIR/notices; a backup copies the ones it has not copied before into
// `<file>.files/`, and a restore puts back the ones that are missing.
//
// The work is in backup-online.ts, restore.ts and backup-sqlite.ts (what both share); this file is
// the command line and the one import path.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { backupDatabase } from "./backup-online";
import { restoreDatabase, RestoreRefused } from "./restore";

export { COUNTED_TABLES, type DatabaseCheck } from "./backup-sqlite";
export { backupDatabase, type BackupOptions, type BackupSummary } from "./backup-online";
export { restoreDatabase, RestoreRefused, type RestoreOptions, type RestoreSummary } from "./restore";

// ---- command line ----------------------------------------------------------------------

function describeCounts(counts: Record<string, number>): string {
  const names: Record<string, string> = {
    units: "单位", accounts: "账号", items: "稿件", photos: "图片", notices: "通报", audit_events: "审计记录",
  };
  return Object.entries(counts)
    .map(([t, n]) => `${names[t] ?? t} ${n}`)
    .join("，");
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} 字节`;
}

/** The restore's one switch: restore even though photos the backup names are nowhere to be found. */
const ALLOW_MISSING_PHOTOS = "--allow-missing-photos";

async function main(argv: string[]): Promise<number> {
  const allowMissingPhotos = argv.includes(ALLOW_MISSING_PHOTOS);
  const [command, fileArg] = argv.filter((a) => a !== ALLOW_MISSING_PHOTOS);
  const dataDir = path.resolve(process.env.DATA_DIR || "./data");
  // `npm run` changes to the package directory; a relative path means the caller's directory.
  const file = fileArg ? path.resolve(process.env.INIT_CWD || process.cwd(), fileArg) : undefined;
  if ((command !== "backup" && command !== "restore") || !file) {
    console.error(`用法：npm run db:backup -- <备份文件>    npm run db:restore -- <备份文件> [${ALLOW_MISSING_PHOTOS}]`);
    return 2;
  }
  if (command === "backup") {
    const s = await backupDatabase(path.join(dataDir, "portal.sqlite"), file, { dataDir });
    console.log(`备份完成（在线备份，门户可继续运行）：${s.file}`);
    console.log(`  大小：${formatBytes(s.bytes)}（${s.pages} 页，${s.steps} 步${s.restarts ? `，因并发写入重新开始 ${s.restarts} 次` : ""}）`);
    console.log(`  内容：${describeCounts(s.counts)}`);
    console.log(`  完整性检查：${s.integrity === "ok" ? "通过" : s.integrity}；外键检查：${s.foreignKeyErrors === 0 ? "通过" : `${s.foreignKeyErrors} 处错误`}`);
    console.log(`  图片与通报文件：新复制 ${s.filesCopied} 个，已有 ${s.filesKept} 个，保存在 ${s.file}.files/`);
    if (s.missingPhotos.length > 0) {
      console.error(
        `  警告：库里记录的 ${s.missingPhotos.length} 张图片在数据目录里已经找不到（如 ${s.missingPhotos[0]}），备份里也就没有它们；`
          + `恢复这份备份时须加 ${ALLOW_MISSING_PHOTOS}。请检查数据目录的 photos 是否被删改过。`,
      );
    }
    console.log("  请把备份文件和同名 .files 目录一起复制到本机以外的地方保存。");
    return 0;
  }
  try {
    const s = await restoreDatabase(file, dataDir, { allowMissingPhotos });
    console.log(`恢复完成：${s.databaseFile}`);
    if (s.previous) console.log(`  原数据库已保留为：${s.previous}`);
    console.log(`  内容：${describeCounts(s.counts)}`);
    console.log(`  完整性检查：${s.integrity === "ok" ? "通过" : s.integrity}；已迁移到最新版本`);
    console.log(`  图片与通报文件：补回 ${s.filesCopied} 个，原有 ${s.filesKept} 个`);
    if (s.missingPhotos > 0) console.log(`  缺少的图片：${s.missingPhotos} 张（按 ${ALLOW_MISSING_PHOTOS} 照样恢复，这些稿件的图片无法显示）`);
    console.log("  现在可以启动门户。");
    return 0;
  } catch (err) {
    if (err instanceof RestoreRefused) {
      console.error(`恢复被拒绝：${err.message}`);
      return 1;
    }
    throw err;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`失败：${(err as Error).message ?? err}`);
      process.exit(1);
    },
  );
}
