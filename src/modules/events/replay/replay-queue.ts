/** The bulk replays' queue: one job per replay, processed by the worker role. */
export const REPLAY_QUEUE = 'replay';
export const REPLAY_JOB = 'replay';

export interface ReplayJobData {
  replayId: string;
  accountId: string;
}

/** Events handled per page: read, retried twenty at a time, then the counts and cursor stored. */
export const REPLAY_PAGE_SIZE = 100;
export const REPLAY_CONCURRENCY = 20;
/** At most this many ids in `{messageIds}`. */
export const MAX_REPLAY_MESSAGE_IDS = 1000;
/** A replay job that fails (store or Redis away) runs again this many times, backing off. */
export const REPLAY_JOB_ATTEMPTS = 8;
