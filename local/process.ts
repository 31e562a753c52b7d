// Whether a process still runs, as the state lock and the DynamoDB Local launcher ask about the
// pids a killed start left behind.
import { readFileSync } from 'node:fs';

/**
 * True while `pid` exists and is not a zombie: a killed process stays in the table until whoever
 * adopted it reaps it, which a container's first process may do late or never.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ...": comm may hold spaces and parentheses, so read after the last ')'.
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(pid, 0) is all there is to go on
  }
}
