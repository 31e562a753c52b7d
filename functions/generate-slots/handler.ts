// generate-slots: the AWS_LAMBDA data source of Mutation.createAvailability.
//
// Contract with the resolver (resolvers/Mutation.createAvailability/generate.2.[generateSlots].ts):
//   event  = { input: CreateAvailabilityInput, identity: { sub, groups }, provider: ProviderItem | null }
//            (`provider` is the item the pipeline's first function read for input.providerId)
//   result = the API's Availability (DESIGN §4), slotCount included, or
//            { rejection: { type, message } } when the caller's rule is refused: message is
//            "<errorType>: <detail>" with a DESIGN §6 errorType (ValidationError naming the field,
//            NotFound, Unauthorized, AvailabilityConflict), which the resolver raises as the
//            GraphQL error. A refusal is an answer, not a fault: returned, it stays out of the
//            function's Errors metric (and alarm), which then counts only what went wrong here.
//   errors = thrown: faults only (DynamoDB, a bug); the resolver passes them on as they are.
//
// Idempotent: the rule's id is derived from its input, so running the same rule again returns the
// stored result; a run that failed half way is completed by its retry.
import type { Context } from 'aws-lambda';
import { createDocumentClient } from '../shared/dynamo.ts';
import { requireEnv } from '../shared/env.ts';
import { DomainError, invalid, type DomainErrorType } from '../shared/errors.ts';
import { createLogger } from '../shared/logger.ts';
import { availabilityKey, epochMsToIso, type AvailabilityItem, type ProviderItem } from '../shared/model.ts';
import { expandRule, requireZone, todayIn } from './expand.ts';
import { findOverlaps } from './overlap.ts';
import { availabilityIdOf, MAX_SLOTS_PER_RULE, parseRule, wallTimeText } from './rule.ts';
import { acquireProviderLease, readAvailability, slotItemOf, slotsStartingBetween, writeAvailability, writeSlots } from './store.ts';

export interface GenerateSlotsEvent {
  input: unknown;
  identity?: { sub?: string | null; groups?: string[] | null } | null;
  provider?: ProviderItem | null;
}

/** The API's Availability: the stored rule without its keys, entity tag and zone. */
export type Availability = Omit<AvailabilityItem, 'PK' | 'SK' | 'entity' | 'timeZone'>;

/** Existing slots are looked up from this long before the first new start: no slot is longer. */
const LONGEST_SLOT_MS = 480 * 60_000;

const doc = createDocumentClient();
const logger = createLogger('generate-slots');

/** A caller's rule refused: a DomainError's type and "<errorType>: <detail>" message. */
export interface Rejection {
  rejection: { type: DomainErrorType; message: string };
}

export async function handler(event: GenerateSlotsEvent, context?: Context): Promise<Availability | Rejection> {
  try {
    return await generate(event, context);
  } catch (err) {
    if (err instanceof DomainError) return { rejection: { type: err.errorType, message: err.message } };
    throw err;
  }
}

async function generate(event: GenerateSlotsEvent, context?: Context): Promise<Availability> {
  if (context) logger.addContext(context);
  const tableName = requireEnv('TABLE_NAME');
  if (!event || typeof event !== 'object') throw invalid('input', 'must be an object');
  const rule = parseRule(event.input);
  const provider = event.provider;
  if (!provider || provider.id !== rule.providerId) throw new DomainError('NotFound', `Provider ${rule.providerId} does not exist`);
  const sub = event.identity?.sub ?? '';
  const isAdmin = (event.identity?.groups ?? []).includes('admins');
  if (!isAdmin && (!sub || sub !== provider.ownerId)) {
    throw new DomainError('Unauthorized', `Only the owner of provider ${provider.id} or an admin may add availability`);
  }
  const timeZone = requireZone(provider.timeZone);
  const availabilityId = availabilityIdOf(rule, timeZone);

  const done = await readAvailability(doc, tableName, provider.id, availabilityId);
  if (done) return toAvailability(done);

  const today = todayIn(timeZone, Date.now());
  if (rule.validFrom < today) throw invalid('input.validFrom', `must not be in the past (today is ${today} in ${timeZone})`);
  const expanded = expandRule(rule, timeZone);
  if (expanded.length === 0) throw invalid('input', 'generates no slots: none of input.daysOfWeek falls between input.validFrom and input.validTo');
  // A rule from today gets no slots that have already started: they could never be booked, yet
  // would list as AVAILABLE.
  const now = Date.now();
  const planned = expanded.filter((slot) => slot.startMs > now);
  if (planned.length === 0) throw invalid('input', 'generates no slots: every slot it describes has already started');
  if (planned.length > MAX_SLOTS_PER_RULE) {
    throw invalid('input', `generates ${planned.length} slots, more than ${MAX_SLOTS_PER_RULE}; shorten the date range or lengthen the slots`);
  }

  const lease = await acquireProviderLease(doc, tableName, provider.id);
  try {
    const finished = await readAvailability(doc, tableName, provider.id, availabilityId);
    if (finished) return toAvailability(finished);
    const existing = await slotsStartingBetween(
      doc,
      tableName,
      provider.id,
      planned[0].startMs - LONGEST_SLOT_MS,
      planned[planned.length - 1].endMs,
    );
    const { conflicts, own } = findOverlaps(planned, existing, availabilityId);
    if (conflicts.length > 0) {
      const first = conflicts[0];
      throw new DomainError(
        'AvailabilityConflict',
        `the rule overlaps ${conflicts.length} existing slot(s) of provider ${provider.id}, the first ${first.startTime}–${first.endTime} (${first.slotId})`,
      );
    }
    const fresh = planned.filter((slot) => !own.has(slot.slotId)).map((slot) => slotItemOf(slot, provider.id, availabilityId));
    await writeSlots(doc, tableName, fresh);
    const item: AvailabilityItem = {
      ...availabilityKey(provider.id, availabilityId),
      entity: 'AVAILABILITY',
      id: availabilityId,
      providerId: provider.id,
      timeZone,
      daysOfWeek: rule.daysOfWeek,
      startTime: wallTimeText(rule.startMinute),
      endTime: wallTimeText(rule.endMinute),
      slotDurationMinutes: rule.slotDurationMinutes,
      bufferMinutes: rule.bufferMinutes,
      validFrom: rule.validFrom,
      validTo: rule.validTo,
      slotCount: planned.length,
      createdAt: epochMsToIso(Date.now()),
    };
    await writeAvailability(doc, tableName, item);
    logger.info('availability created', { providerId: provider.id, availabilityId, slotCount: planned.length, resumed: own.size });
    return toAvailability(item);
  } finally {
    await lease.release();
  }
}

function toAvailability(item: AvailabilityItem): Availability {
  return {
    id: item.id,
    providerId: item.providerId,
    daysOfWeek: item.daysOfWeek,
    startTime: item.startTime,
    endTime: item.endTime,
    slotDurationMinutes: item.slotDurationMinutes,
    bufferMinutes: item.bufferMinutes,
    validFrom: item.validFrom,
    validTo: item.validTo,
    slotCount: item.slotCount,
    createdAt: item.createdAt,
  };
}
