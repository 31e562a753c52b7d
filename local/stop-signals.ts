// How `slotsync start` takes SIGINT and SIGTERM. The first asks for a graceful stop. One Ctrl-C can
// arrive twice within milliseconds (the terminal signals the whole process group, and
// `npm run dev`'s watching parent forwards it): a repeat that close is the same request. A signal
// after that is the user insisting, and forces the exit.

/** Signals closer together than this are one stop request, delivered twice. */
export const SAME_SIGNAL_MS = 1000;

export interface StopSignalOptions {
  onStop(signal: NodeJS.Signals): void;
  onForce(signal: NodeJS.Signals): void;
  sameWithinMs?: number;
  now?: () => number;
}

/** The handler to give process.on('SIGINT' | 'SIGTERM'). */
export function stopSignals({ onStop, onForce, sameWithinMs = SAME_SIGNAL_MS, now = Date.now }: StopSignalOptions): (signal: NodeJS.Signals) => void {
  let firstAt: number | undefined;
  return (signal) => {
    if (firstAt === undefined) {
      firstAt = now();
      onStop(signal);
    } else if (now() - firstAt >= sameWithinMs) {
      onForce(signal);
    }
  };
}
