// CPU time per process (and the server's main thread) from Linux's /proc, so a benchmark can say
// where each side's work ran, not only how long it took. Elsewhere it reads nothing (null).
import { readdirSync, readFileSync } from 'node:fs';

// USER_HZ: the unit of /proc's utime and stime. 100 on every Linux that matters here.
const TICK_MS = 10;

/** utime + stime of /proc/<path>/stat in ms; null when the entry is gone or unreadable. */
function cpuMs(statPath: string): number | null {
  try {
    const stat = readFileSync(statPath, 'utf8');
    // Fields after the command name (which may hold spaces), 1-based from the state field (3).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

/** The direct children of `pid` (DynamoDB Local's JVM, esbuild's service, a forked driver). */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

export interface CpuReading {
  /** This process's main thread: the server's event loop (HTTP, GraphQL, resolvers, local SQS). */
  serverMain: number;
  /** The threads this process started with besides its main thread: V8's helpers (concurrent GC
   * marking and sweeping, background compiles for every isolate), libuv's if started by then. */
  serverHelpers: number;
  /** The threads started later: the Lambda sandboxes (worker threads), libuv's pool if started later. */
  serverOther: number;
  dynamodbLocal: number;
  driver: number;
}

export const CPU_PARTS: Record<keyof CpuReading, string> = {
  serverMain: 'server event loop',
  serverHelpers: 'helper threads (V8 GC and compiles)',
  serverOther: 'Lambda sandboxes',
  dynamodbLocal: 'DynamoDB Local',
  driver: 'load driver',
};

/** This process's threads now (Linux; empty elsewhere). */
function threadIds(): string[] {
  try {
    return readdirSync('/proc/self/task');
  } catch {
    return [];
  }
}

/** The threads this process has at module load besides its main thread: V8's platform threads (and a module loader's, idle once loaded). */
const STARTING_THREADS = threadIds().filter((tid) => tid !== String(process.pid));

/** Reads the CPU used so far by the server process (this one), its JVM and the driver process. */
export function cpuMeter(driverPid: number): () => CpuReading | null {
  if (cpuMs('/proc/self/stat') === null) return () => null;
  const self = process.pid;
  const jvm = childrenOf(self).find((pid) => commandOf(pid).includes('DynamoDBLocal'));
  return () => {
    const main = cpuMs(`/proc/${self}/task/${self}/stat`) ?? 0;
    const helpers = STARTING_THREADS.reduce((sum, tid) => sum + (cpuMs(`/proc/${self}/task/${tid}/stat`) ?? 0), 0);
    return {
      serverMain: main,
      serverHelpers: helpers,
      // Exited threads count here too (a process's total keeps their time).
      serverOther: (cpuMs(`/proc/${self}/stat`) ?? 0) - main - helpers,
      dynamodbLocal: jvm === undefined ? 0 : (cpuMs(`/proc/${jvm}/stat`) ?? 0),
      driver: cpuMs(`/proc/${driverPid}/stat`) ?? 0,
    };
  };
}

/** a + sign × b, part by part. */
function combine(a: CpuReading, b: CpuReading, sign: 1 | -1): CpuReading {
  const parts = Object.keys(CPU_PARTS) as Array<keyof CpuReading>;
  return Object.fromEntries(parts.map((part) => [part, a[part] + sign * b[part]])) as unknown as CpuReading;
}

export const minus = (a: CpuReading, b: CpuReading): CpuReading => combine(a, b, -1);
export const plus = (a: CpuReading, b: CpuReading): CpuReading => combine(a, b, 1);

export const NO_CPU: CpuReading = { serverMain: 0, serverHelpers: 0, serverOther: 0, dynamodbLocal: 0, driver: 0 };
