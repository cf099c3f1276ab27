import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

export const ReplayStatus = {
  Running: 'running',
  Done: 'done',
  Cancelled: 'cancelled',
  /** The replay job gave up (the store or Redis stayed unreachable through its attempts). */
  Stopped: 'stopped',
} as const;
export type ReplayStatus = (typeof ReplayStatus)[keyof typeof ReplayStatus];
export const REPLAY_STATUSES = Object.values(ReplayStatus);

/**
 * One bulk replay: what it matches and how far it got. The store is the source of truth for
 * what operators see; the BullMQ job only carries the replay id, so a job run again after a
 * worker died resumes from `cursor` and the page left in `pending`.
 */
@Schema({ collection: 'event_replays', versionKey: false })
export class EventReplay {
  /** The replayId (a UUID). */
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  accountId: string;

  /** The token's `sub`, as on the `manual-retry` steps. */
  @Prop({ required: true })
  requestedBy: string;

  @Prop({ type: String, required: true, enum: REPLAY_STATUSES })
  status: ReplayStatus;

  /** The list filter it replays (status `failed`), or absent when it names `messageIds`. */
  @Prop({ type: MongooseSchema.Types.Mixed })
  filter?: Record<string, unknown>;

  /** The messages it replays, sorted and without duplicates, when it names them. */
  @Prop({ type: [String], default: undefined })
  messageIds?: string[];

  /** Events the filter (or the ids) matched when the replay started. */
  @Prop({ required: true })
  matched: number;

  @Prop({ default: 0 })
  queued: number;

  @Prop({ default: 0 })
  skipped: number;

  /**
   * Where the next page starts: the list cursor (filter) or an index into `messageIds`;
   * null before the first page.
   */
  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  cursor: string | number | null;

  /**
   * Pages finished. Each page's writes are conditional on it, so a job run twice at once (a
   * worker that lost its lock while still running) counts each page once.
   */
  @Prop({ default: 0 })
  pages: number;

  /** Every page was read: the replay is done unless it was cancelled. */
  @Prop({ default: false })
  exhausted: boolean;

  /** The page being worked on: its events, and where the page after it starts. */
  @Prop({ type: [String], default: undefined })
  pending?: string[];

  @Prop({ type: MongooseSchema.Types.Mixed })
  pendingNext?: string | number | null;

  @Prop({ required: true })
  startedAt: Date;

  @Prop()
  finishedAt?: Date;

  /** Why a `stopped` replay stopped. */
  @Prop()
  error?: string;

  @Prop({ required: true })
  updatedAt: Date;
}

export const EventReplaySchema = SchemaFactory.createForClass(EventReplay);
