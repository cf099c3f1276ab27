/** Messages an integration sent over its rate limit (refused with a 429, nothing queued). */
export class MessagesRateLimited {
  constructor(
    readonly integrationId: string,
    readonly accountId: string,
    readonly messages: number,
  ) {}
}
