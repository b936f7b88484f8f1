/**
 * Who used the CPUs during a phase of a benchmark, from Linux's /proc: this process's main thread, named
 * threads (the benchmark's worker threads, by the thread ids they report), the rest of this process (V8's
 * garbage-collector and compiler helpers, libuv's pool), every PostgreSQL process on the machine (backends, WAL writer,
 * checkpointer), what the hypervisor took for other guests (steal), and what stayed idle. Figures for reading, like the
 * rest of `bench/`; null off Linux.
 */
import { readdirSync, readFileSync } from 'node:fs';

const ticksPerSecond = 100; // USER_HZ: 100 on every Linux this runs on

/** utime + stime of a /proc stat line, in ticks (fields 14 and 15; the command name may hold spaces). */
function busyTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const read = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // a thread or process that ended meanwhile
  }
};

interface Snapshot {
  threads: Map<number, number>;
  postgres: number;
  machineBusy: number;
  machineIdle: number;
  /** Ticks the hypervisor gave to other guests while this one wanted the CPU. */
  machineStolen: number;
}

function snapshot(): Snapshot | null {
  if (process.platform !== 'linux') return null;
  const threads = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = read(`/proc/self/task/${tid}/stat`);
    if (stat) threads.set(Number(tid), busyTicks(stat));
  }
  let postgres = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || read(`/proc/${pid}/comm`)?.trim() !== 'postgres') continue;
    const stat = read(`/proc/${pid}/stat`);
    if (stat) postgres += busyTicks(stat);
  }
  const [, ...cpu] = read('/proc/stat')!.split('\n')[0]!.trim().split(/\s+/).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = cpu as number[];
  return {
    threads,
    postgres,
    machineBusy: user! + nice! + system! + irq! + softirq!,
    machineIdle: idle! + iowait!,
    machineStolen: steal!,
  };
}

export interface CpuSplit {
  seconds: number;
  /** Cores used on average over the phase, by part. */
  cores: Record<string, number>;
}

/**
 * Starts measuring; `stop()` returns the average cores each part used since. `named` maps thread ids of this
 * process to a part (e.g. the worker threads holding the device clients); the main thread is `main thread`.
 */
export function startCpuSplit(named: Map<number, string>): { stop(): CpuSplit | null } {
  const before = snapshot();
  const t0 = performance.now();
  return {
    stop() {
      const after = snapshot();
      if (!before || !after) return null;
      const seconds = (performance.now() - t0) / 1000;
      const ticks = new Map<string, number>();
      const add = (part: string, n: number) => ticks.set(part, (ticks.get(part) ?? 0) + n);
      for (const [tid, n] of after.threads) {
        const part =
          tid === process.pid ? 'main thread' : (named.get(tid) ?? 'other threads (V8 helpers: GC, compiler; libuv)');
        add(part, n - (before.threads.get(tid) ?? 0));
      }
      add('PostgreSQL', after.postgres - before.postgres);
      const accounted = [...ticks.values()].reduce((sum, n) => sum + n, 0);
      add('rest of the machine', Math.max(0, after.machineBusy - before.machineBusy - accounted));
      // On a virtual machine: time the host ran other guests instead of this one (nobody here used it).
      add('stolen by the hypervisor', after.machineStolen - before.machineStolen);
      // /proc/stat's first line sums every CPU: its idle ticks over the phase are the idle cores.
      add('idle', after.machineIdle - before.machineIdle);
      const cores = Object.fromEntries([...ticks].map(([part, n]) => [part, n / ticksPerSecond / seconds]));
      return { seconds, cores };
    },
  };
}

/** `main thread 0.43, device clients 0.25, …, idle 0.25 cores` (idle last, as `stop()` adds it). */
export const formatCpuSplit = (split: CpuSplit | null): string =>
  split
    ? `${Object.entries(split.cores)
        .map(([part, n]) => `${part} ${n.toFixed(2)}`)
        .join(', ')} cores`
    : 'not measured (not Linux)';
