/** A bulk replay finished a page: how many of its events were queued and skipped. */
export class ReplayPageProcessed {
  constructor(
    readonly replayId: string,
    readonly accountId: string,
    readonly queued: number,
    readonly skipped: number,
  ) {}
}
