import { openDatabases } from "../../db/connect";
import { clearClosedSums, yearRankings } from "../../app/models/rankings.server";
import { clearLiveLeagueCache } from "../../app/models/months.server";
import { clearWriteCache } from "../../app/models/write-cache.server";
const dbs = await openDatabases({ filename: "/tmp/l3-bench/portal.sqlite", readers: 4 });
for (let i = 0; i < 25; i++) { clearClosedSums(); clearLiveLeagueCache(); clearWriteCache(); await yearRankings(dbs.reader, "2026"); }
await dbs.close();
