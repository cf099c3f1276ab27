import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ChainableCommander } from 'ioredis';
import { Env } from '../../config/env';
import { createRedis, queuePrefix, RedisClient } from '../../config/redis';
import { closeRedis } from '../../common/queue/close-redis';
import {
  EntityUnit,
  gatesOf,
  MessageOrder,
  OrderedMessageRef,
  orderTimeMs,
  parseMember,
  SOURCE_LETTER,
} from './entity-order';
import { BEGIN, END, REGISTER, UNLOCK } from './ordering.scripts';

/** How often a message waiting for a busy key's lock looks again. */
const LOCK_POLL_MS = 15;
/**
 * How long a finished message's place is kept: a redelivery of it (a worker that died after it
 * released its keys) still compares with the watermarks instead of applying blindly.
 */
const ENTRY_KEPT_MS = 3600_000;

/** A value an older message did not apply because a newer one already had. */
export interface SupersededValue {
  unit: number;
  key: string;
  field: string;
  newerMessageId: string;
  newerAt: string;
}

/** The message may not run yet: an earlier message on one of its keys is still pending. */
export interface HeldBehind {
  key: string;
  blocker: { source: OrderedMessageRef['source']; messageId: string; member: string };
}

type Gate = { key: string; relative: boolean };

/**
 * Per-entity ordering for every message of every source (inbound and Avasam), in Redis:
 * - at acceptance, a sequence and order time (`stamp`) and a pending entry on each key, written
 *   in the same transaction as the BullMQ job (`register`);
 * - before a message runs, admission (`begin`): held while an earlier message on a key must go
 *   first, else the keys' locks and watermarks (an `EntityClaim`);
 * - after it ran, the watermarks move forward and its keys are released (`EntityClaim.commit`).
 * See README "Ordering" for the guarantee this gives.
 */
@Injectable()
export class MessageOrdering implements OnApplicationShutdown {
  private readonly logger = new Logger(MessageOrdering.name);
  private workerRedis?: RedisClient;
  readonly prefix: string;
  /** Outlives a backend call, so a lock never lapses mid-call; a crashed holder's lock frees itself. */
  readonly lockTtlMs: number;
  /** A watermark matters while an older message could still arrive: a retry of a kept event. */
  readonly watermarkTtlMs: number;

  constructor(private readonly env: Env) {
    // The queues' hash tag: REGISTER runs in the transaction that adds the job (one slot).
    this.prefix = `${queuePrefix(env)}:ord`;
    this.lockTtlMs = env.AVVYR_TIMEOUT_MS + 5000;
    this.watermarkTtlMs = (env.EVENT_RETENTION_DAYS + 1) * 24 * 3600 * 1000;
  }

  /** The worker side's connection, made on first use (an API-only process never opens it). */
  private get redis(): RedisClient {
    if (!this.workerRedis) {
      this.workerRedis = createRedis(this.env, { maxRetriesPerRequest: 3 });
      this.workerRedis.on('error', (error: Error) =>
        this.logger.warn(`Redis connection error: ${error.message}`),
      );
    }
    return this.workerRedis;
  }

  /** After the workers drained (beforeApplicationShutdown): their last jobs still release keys. */
  async onApplicationShutdown(): Promise<void> {
    if (this.workerRedis) await closeRedis(this.workerRedis);
  }

  /**
   * Adds to a transaction that also adds the message's job: its place (sequence and order time)
   * and its pending entries on its keys, so either all of it exists or none does. Its result in
   * the transaction is `[seq, at ms]` (`[0, 0]`: the job already existed, nothing was done).
   * `order` reuses a place (a manual retry, `force`: the job exists).
   */
  register(
    multi: ChainableCommander,
    jobKey: string,
    ref: OrderedMessageRef,
    units: EntityUnit[],
    options: { occurredAt?: string; order?: MessageOrder; force?: boolean } = {},
  ): void {
    const gates = gatesOf(units);
    const keys = [
      jobKey,
      this.entryKey(ref.messageId),
      `${this.prefix}:seq`,
      `${this.prefix}:clock`,
      ...gates.flatMap((gate) => this.pendingKeys(ref.accountId, gate.key)),
    ];
    const args = [
      ref.messageId,
      SOURCE_LETTER[ref.source],
      options.force ? '1' : '0',
      options.order ? String(options.order.seq) : '',
      options.order ? String(orderTimeMs(options.order)) : '',
      options.occurredAt ? String(Date.parse(options.occurredAt)) : '',
      ...gates.map((gate) => (gate.relative ? 'r' : 'a')),
    ];
    multi.eval(REGISTER, keys.length, ...keys, ...args);
  }

  /**
   * Admission: `HeldBehind` when an earlier message on one of its keys must go first (the
   * message is then noted as held behind it, and handed back by its `commit`), else a claim on
   * its keys. Waits while another message holds a key's lock (a concurrent absolute update).
   */
  async begin(
    ref: OrderedMessageRef,
    units: EntityUnit[],
  ): Promise<EntityClaim | HeldBehind | undefined> {
    const gates = gatesOf(units);
    const deadline = Date.now() + this.lockTtlMs;
    for (;;) {
      const keys = [
        this.parkedKey,
        this.entryKey(ref.messageId),
        ...gates.flatMap((gate) => this.gateKeys(ref.accountId, gate)),
      ];
      const args = [
        this.heldPrefix,
        ref.messageId,
        this.lockTtlMs,
        ...gates.map((gate) => (gate.relative ? 'r' : 'a')),
      ];
      const answer = (await this.redis.eval(BEGIN, keys.length, ...keys, ...args)) as unknown[];
      // Queued before ordering existed: nothing to wait for, nothing to compare with.
      if (answer[0] === 'free') return undefined;
      if (answer[0] === 'held') {
        const blocker = String(answer[2]);
        return {
          key: gates[Number(answer[1]) - 1].key,
          blocker: { ...parseMember(blocker), member: blocker },
        };
      }
      if (answer[0] === 'go') {
        const place = { member: String(answer[1]), atMs: Number(answer[2]) };
        const watermarks = new Map<string, Map<string, string>>();
        gates.forEach((gate, index) => {
          const flat = answer[index + 3] as string[];
          const fields = new Map<string, string>();
          for (let i = 0; i < flat.length; i += 2) fields.set(flat[i], flat[i + 1]);
          watermarks.set(gate.key, fields);
        });
        return new EntityClaim(this, ref, place, units, gates, watermarks);
      }
      if (Date.now() > deadline) {
        throw Object.assign(new Error(`Entity key ${gates[Number(answer[1]) - 1].key} is busy`), {
          code: 'ORDERING_KEY_BUSY',
        });
      }
      await new Promise((resolve) =>
        setTimeout(resolve, LOCK_POLL_MS + Math.random() * LOCK_POLL_MS),
      );
    }
  }

  /** Whether `member` is still pending on `key` (the message a held one waits for). */
  async isPending(accountId: string, key: string, member: string): Promise<boolean> {
    const [q] = this.pendingKeys(accountId, key);
    return (await this.redis.zscore(q, member)) !== null;
  }

  /**
   * How long (ms) `member` has been seen with a job that will not run again, counted from the
   * first time any worker saw it so (shared through Redis, forgotten after two minutes).
   */
  async goneForMs(member: string): Promise<number> {
    const key = `${this.prefix}:gone:${member}`;
    const now = Date.now();
    if ((await this.redis.set(key, now, 'PX', 120_000, 'NX')) === 'OK') return 0;
    return now - Number((await this.redis.get(key)) ?? now);
  }

  /**
   * Takes a message off one key without it having run: its job is gone or failed for good
   * without releasing (a crash at the wrong moment). Returns the messages held behind it.
   */
  async releaseOrphan(accountId: string, key: string, member: string): Promise<string[]> {
    const { messageId } = parseMember(member);
    const gateKeys = this.gateKeys(accountId, { key, relative: false });
    const keys = [this.parkedKey, this.entryKey(messageId), ...gateKeys];
    const args = [member, this.heldPrefix, messageId, this.watermarkTtlMs, '1', ENTRY_KEPT_MS, 0];
    return (await this.redis.eval(END, keys.length, ...keys, ...args)) as string[];
  }

  /** @internal EntityClaim's end: watermarks forward, locks freed, keys released when final. */
  async end(
    ref: OrderedMessageRef,
    member: string,
    gates: Gate[],
    applied: Map<string, Map<string, string>>,
    final: boolean,
  ): Promise<string[]> {
    const keys = [
      this.parkedKey,
      this.entryKey(ref.messageId),
      ...gates.flatMap((gate) => this.gateKeys(ref.accountId, gate)),
    ];
    const args: (string | number)[] = [
      member,
      this.heldPrefix,
      ref.messageId,
      this.watermarkTtlMs,
      final ? '1' : '0',
      ENTRY_KEPT_MS,
    ];
    for (const gate of gates) {
      const fields = applied.get(gate.key) ?? new Map<string, string>();
      args.push(fields.size);
      for (const [field, value] of fields) args.push(field, value);
    }
    return (await this.redis.eval(END, keys.length, ...keys, ...args)) as string[];
  }

  /** @internal EntityClaim's abort: the attempt failed, the message stays pending. */
  async unlock(ref: OrderedMessageRef, gates: Gate[]): Promise<void> {
    const locks = gates.map((gate) => this.gateKeys(ref.accountId, gate)[2]);
    await this.redis.eval(UNLOCK, locks.length, ...locks, ref.messageId);
  }

  /** The set of messages waiting behind an earlier one on their key (its size is a gauge). */
  get parkedKey(): string {
    return `${this.prefix}:parked`;
  }

  private entryKey(messageId: string): string {
    return `${this.prefix}:m:${messageId}`;
  }

  private get heldPrefix(): string {
    return `${this.prefix}:h:`;
  }

  private pendingKeys(accountId: string, key: string): [string, string] {
    const entity = `${accountId}:${key}`;
    return [`${this.prefix}:q:${entity}`, `${this.prefix}:r:${entity}`];
  }

  private gateKeys(accountId: string, gate: Gate): string[] {
    const entity = `${accountId}:${gate.key}`;
    return [
      ...this.pendingKeys(accountId, gate.key),
      `${this.prefix}:l:${entity}`,
      `${this.prefix}:w:${entity}`,
    ];
  }
}

/**
 * A message admitted on its keys, holding their locks: says which of its values are superseded
 * by a newer message already applied, then moves the watermarks of what it applied.
 */
export class EntityClaim {
  readonly superseded: SupersededValue[] = [];
  private readonly kept = new Set<string>();
  private settled = false;
  /** Told which messages were held behind this one once it released its keys (to wake them). */
  onRelease: (held: string[]) => void = () => undefined;

  constructor(
    private readonly ordering: MessageOrdering,
    private readonly ref: OrderedMessageRef,
    private readonly place: { member: string; atMs: number },
    private units: EntityUnit[],
    private readonly gates: Gate[],
    private readonly watermarks: Map<string, Map<string, string>>,
  ) {
    this.evaluate();
  }

  /**
   * The same keys with what is only known once the work started (Avasam: the warehouse or price
   * field from the integration's settings, each item's `updatedOn`).
   */
  refine(units: EntityUnit[]): void {
    const known = new Set(this.gates.map((gate) => gate.key));
    const stranger = units.find((unit) => !known.has(unit.key));
    if (stranger) throw new Error(`Key ${stranger.key} was not claimed`);
    this.units = units;
    this.evaluate();
  }

  private evaluate(): void {
    this.superseded.length = 0;
    this.kept.clear();
    this.units.forEach((unit, index) => {
      if (unit.relative) return;
      const mine = this.valueOf(unit);
      for (const field of unit.fields) {
        const newer = this.watermarks.get(unit.key)?.get(field);
        if (newer && newer !== mine && isNewer(newer, mine)) {
          const [at, member] = splitValue(newer);
          this.superseded.push({
            unit: index,
            key: unit.key,
            field,
            newerMessageId: parseMember(member).messageId,
            newerAt: new Date(at).toISOString(),
          });
        } else {
          this.kept.add(`${index}\n${field}`);
        }
      }
    });
  }

  /** The message's place: acceptance sequence and order time. */
  get order(): MessageOrder {
    return {
      seq: Number(this.place.member.slice(0, this.place.member.indexOf(':'))),
      at: new Date(this.place.atMs).toISOString(),
    };
  }

  /** Whether unit `index` still applies `field` (false: a newer message already set it). */
  keeps(index: number, field: string): boolean {
    return this.units[index].relative || this.kept.has(`${index}\n${field}`);
  }

  /**
   * The apply succeeded (or there was nothing left to apply): watermarks forward, locks freed,
   * the message off its keys, and the messages held behind it handed back to be woken.
   */
  async commit(): Promise<void> {
    if (this.settled) return;
    const applied = new Map<string, Map<string, string>>();
    this.units.forEach((unit, index) => {
      if (unit.relative) return;
      const value = this.valueOf(unit);
      for (const field of unit.fields) {
        if (!this.keeps(index, field)) continue;
        const fields = applied.get(unit.key) ?? new Map<string, string>();
        const current = fields.get(field);
        if (!current || isNewer(value, current)) fields.set(field, value);
        applied.set(unit.key, fields);
      }
    });
    this.settled = true;
    this.onRelease(await this.ordering.end(this.ref, this.place.member, this.gates, applied, true));
  }

  /** The attempt failed: locks freed; the message keeps its place (a retry follows, or release). */
  async abort(): Promise<void> {
    if (this.settled) return;
    await this.ordering.unlock(this.ref, this.gates);
  }

  /** The message failed for good: its keys are released without moving any watermark. */
  async releaseFailed(): Promise<void> {
    this.settled = true;
    this.onRelease(
      await this.ordering.end(this.ref, this.place.member, this.gates, new Map(), true),
    );
  }

  private valueOf(unit: EntityUnit): string {
    return `${unit.atMs ?? this.place.atMs}|${this.place.member}`;
  }
}

function splitValue(value: string): [number, string] {
  const bar = value.indexOf('|');
  return [Number(value.slice(0, bar)), value.slice(bar + 1)];
}

/** `a` is at least as new as `b`: later time, or the same time and a later acceptance. */
function isNewer(a: string, b: string): boolean {
  const [ta, ma] = splitValue(a);
  const [tb, mb] = splitValue(b);
  return ta > tb || (ta === tb && ma >= mb);
}

export type { MessageOrder };
