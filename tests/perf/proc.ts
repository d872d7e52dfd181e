// A process tree's resident memory and CPU time, from /proc (Linux), for the load test and the
// CPU-per-request script: the portal's primary and its workers, or the bare Remix app's.
import { readdirSync, readFileSync } from "node:fs";

/** The fields of /proc/<pid>/stat after the command name (state is [0], ppid [1], utime [11], stime [12]). */
function statFields(pid: number | string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(statFields(entry)[1]) === pid) out.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** Σ of `read` over a process and its children; one that exits between the listing and the read counts nothing. */
function overTree(pid: number, read: (pid: number) => number): number {
  let total = 0;
  for (const p of [pid, ...childrenOf(pid)]) {
    try {
      total += read(p);
    } catch {
      // Exited meanwhile.
    }
  }
  return total;
}

/** Resident memory in MB of a process and its children (the portal's workers). */
export function rssMb(pid: number): number {
  return overTree(pid, (p) => Number(/VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0) / 1024) || NaN;
}

/** CPU time (user + system) in ms of a process and its children so far (100 ticks a second). */
export function cpuMsOf(pid: number): number {
  return overTree(pid, (p) => {
    const fields = statFields(p);
    return (Number(fields[11]) + Number(fields[12])) * 10;
  });
}
