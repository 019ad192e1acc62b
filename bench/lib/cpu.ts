import { readdirSync, readFileSync } from "node:fs";

/** CPU time (user + system, ms) by command name of every process in process group `pgid`; empty off Linux. */
export function groupCpuMs(pgid: number): Record<string, number> {
  const totals: Record<string, number> = {};
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return totals;
  }
  for (const pid of entries) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp ..."; comm may hold spaces, so split after the last ")".
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) !== pgid) continue;
    const ticks = Number(fields[11]) + Number(fields[12]);
    totals[comm] = (totals[comm] ?? 0) + ticks * 10; // USER_HZ is 100 on Linux
  }
  return totals;
}
