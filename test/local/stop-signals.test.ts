// slotsync start's stop signals: the first stops gracefully, its echo within a second is ignored,
// and a signal after that forces the exit.
import { describe, expect, it } from 'vitest';
import { SAME_SIGNAL_MS, stopSignals } from '../../local/stop-signals.ts';

function harness() {
  let now = 1_000_000;
  const calls: string[] = [];
  const handle = stopSignals({ onStop: (s) => calls.push(`stop ${s}`), onForce: (s) => calls.push(`force ${s}`), now: () => now });
  return { calls, handle, advance: (ms: number) => (now += ms) };
}

describe('stopSignals', () => {
  it('is one second', () => {
    expect(SAME_SIGNAL_MS).toBe(1000);
  });

  it('stops on the first signal and takes a repeat within the second as the same request, whichever signal it is', () => {
    const h = harness();
    h.handle('SIGINT');
    h.advance(5);
    h.handle('SIGINT');
    h.advance(SAME_SIGNAL_MS - 6);
    h.handle('SIGTERM');
    expect(h.calls).toEqual(['stop SIGINT']);
  });

  it('forces the exit on a signal a second or more after the first, and on every one after', () => {
    const h = harness();
    h.handle('SIGTERM');
    h.advance(SAME_SIGNAL_MS);
    h.handle('SIGTERM');
    h.advance(10);
    h.handle('SIGINT');
    expect(h.calls).toEqual(['stop SIGTERM', 'force SIGTERM', 'force SIGINT']);
  });
});
