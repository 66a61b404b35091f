import { readFileSync, readdirSync } from 'node:fs';

/**
 * User + system CPU ms of a process and all its descendants (npm → sh → tsx → node), from /proc; undefined
 * elsewhere. Counts the living ones: the tree stays up for the whole measurement.
 */
export function treeCpuMs(pid: number): number | undefined {
  try {
    let total = 0;
    for (const p of [pid, ...descendants(pid)]) total += ownCpuMs(p) ?? 0;
    return total;
  } catch {
    return undefined;
  }
}

function descendants(pid: number): number[] {
  const out: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    let children: string;
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const c of children.split(' ').filter(Boolean).map(Number)) out.push(c, ...descendants(c));
  }
  return out;
}

/** User + system CPU time of one process in ms, from /proc/<pid>/stat (clock ticks of 10 ms); undefined elsewhere. */
export function ownCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) — utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}
