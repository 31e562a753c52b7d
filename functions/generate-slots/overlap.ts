// Which existing slots a new rule would overlap. Slots of this same rule (a re-run after a partial
// write) are not conflicts: they are the rule's own, already written.
import { isoToEpochMs, type SlotItem } from '../shared/model.ts';
import type { PlannedSlot } from './expand.ts';

export interface OverlapReport {
  conflicts: SlotItem[];
  /** Slot ids this rule already wrote. */
  own: Set<string>;
}

/** `planned` ascending by start; a provider's existing slots never overlap each other, so their ends ascend too. */
export function findOverlaps(planned: PlannedSlot[], existing: SlotItem[], availabilityId: string): OverlapReport {
  const own = new Set<string>();
  const others: Array<{ item: SlotItem; startMs: number; endMs: number }> = [];
  const plannedIds = new Set(planned.map((slot) => slot.slotId));
  for (const item of existing) {
    if (item.availabilityId === availabilityId && plannedIds.has(item.slotId)) own.add(item.slotId);
    else others.push({ item, startMs: isoToEpochMs(item.startTime) as number, endMs: isoToEpochMs(item.endTime) as number });
  }
  others.sort((a, b) => a.startMs - b.startMs);
  const conflicts: SlotItem[] = [];
  let i = 0;
  for (const slot of planned) {
    while (i < others.length && others[i].endMs <= slot.startMs) i++;
    for (let j = i; j < others.length && others[j].startMs < slot.endMs; j++) {
      if (!conflicts.includes(others[j].item)) conflicts.push(others[j].item);
    }
  }
  return { conflicts, own };
}
