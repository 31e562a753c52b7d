// Keeps the stream mappings' checkpoints in the state directory, as Lambda keeps an event source
// mapping's: taken back once at start, written again every few seconds while they move (a crash
// then repeats at most that much, never skips) and a last time after the mappings stop.
import type { TtlDeletionRegistry } from '../ttl/registry.ts';
import { saveStreamState, takeStreamState } from './checkpoint-file.ts';
import type { StreamCheckpoints } from './index.ts';

export interface CheckpointKeeper {
  /** What the last run left, by function (undefined: nothing to go on from). */
  readonly resume: Record<string, StreamCheckpoints> | undefined;
  /** A running mapping whose checkpoints are to be kept. */
  track(functionName: string, mapping: { checkpoints(): StreamCheckpoints }): void;
  /** Writes the checkpoints if they moved since the last write. */
  save(): void;
  /** Stops the periodic writes and writes a last time: call after the mappings have stopped. */
  close(): void;
}

export interface CheckpointKeeperOptions {
  file: string;
  ttlDeletions: TtlDeletionRegistry;
  log: (line: string) => void;
  intervalMs?: number;
}

export function keepStreamCheckpoints({ file, ttlDeletions, log, intervalMs = 2000 }: CheckpointKeeperOptions): CheckpointKeeper {
  const resume = takeBack(file, ttlDeletions, log);
  const tracked = new Map<string, { checkpoints(): StreamCheckpoints }>();
  let written: string | undefined;

  const save = (): void => {
    // Checkpoints taken back are written again even if no mapping starts (a failed start loses nothing).
    if (tracked.size === 0 && resume === undefined) return;
    // A mapping that did not start this time keeps the checkpoints it was given.
    const mappings: Record<string, StreamCheckpoints> = { ...resume };
    for (const [name, mapping] of tracked) mappings[name] = mapping.checkpoints();
    // The TTL deletions count too: one made while the checkpoints stand still has a record yet unread.
    const state = { mappings, ttlDeletions: ttlDeletions.snapshot() };
    const text = JSON.stringify(state);
    if (text === written) return;
    try {
      saveStreamState(file, state);
      written = text;
    } catch (err) {
      log(`streams: could not keep the checkpoints: ${(err as Error).message}`);
    }
  };
  const timer = setInterval(save, intervalMs);
  timer.unref();

  return {
    resume,
    track: (name, mapping) => void tracked.set(name, mapping),
    save,
    close() {
      clearInterval(timer);
      save();
    },
  };
}

/** The checkpoints the last run kept; the TTL deletions they may need go back into the registry. */
function takeBack(file: string, ttlDeletions: TtlDeletionRegistry, log: (line: string) => void): Record<string, StreamCheckpoints> | undefined {
  try {
    const state = takeStreamState(file);
    if (!state) return undefined;
    ttlDeletions.restore(state.ttlDeletions);
    log(`streams: going on from the checkpoints of the last run (${Object.keys(state.mappings).sort().join(', ') || 'none'})`);
    return state.mappings;
  } catch (err) {
    log(`streams: ${(err as Error).message}; each mapping starts at its starting position`);
    return undefined;
  }
}
