import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { EventBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, ValidationFailedError } from '../../../common/errors';
import { Env } from '../../../config/env';
import { effectiveRateLimit, IntegrationView } from '../../integrations';
import { InboundRateLimiter, RateLimitOutcome } from './inbound-rate-limiter';
import { MessagesRateLimited } from './messages-rate-limited.event';

const MESSAGE_COUNT = 'avvyr:inboundMessageCount';
type MessageCounter = (body: unknown) => number;

/** How many messages a request's body counts for (default: 1). */
export const CountsMessages = (counter: MessageCounter) => SetMetadata(MESSAGE_COUNT, counter);

/**
 * After the API key guard (an unknown key is a 401 and counts nothing): counts the request's
 * messages against its integration's limit before anything is validated or queued, sets the
 * RateLimit-* headers on whatever the answer turns out to be, and refuses over the limit with
 * a 429 and Retry-After.
 */
@Injectable()
export class InboundRateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: InboundRateLimiter,
    private readonly reflector: Reflector,
    private readonly eventBus: EventBus,
    private readonly env: Env,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { user: IntegrationView }>();
    const reply = http.getResponse<FastifyReply>();
    const integration = request.user;
    const counter = this.reflector.get<MessageCounter | undefined>(
      MESSAGE_COUNT,
      context.getHandler(),
    );
    const points = counter?.(request.body) ?? 1;
    const spec = effectiveRateLimit(integration, this.env);
    if (points > spec.burst) {
      setHeaders(reply, await this.limiter.peek(integration.id, spec));
      throw new ValidationFailedError([
        {
          path: 'messages',
          message: `this integration takes at most ${spec.burst} messages per window (its rateLimit.burst); send at most ${spec.burst} in one batch`,
        },
      ]);
    }
    const outcome = await this.limiter.consume(integration.id, spec, points);
    setHeaders(reply, outcome);
    if (outcome.allowed) return true;
    this.eventBus.publish(new MessagesRateLimited(integration.id, integration.accountId, points));
    const retryAfter = Math.max(outcome.resetSeconds, 1);
    void reply.header('retry-after', String(retryAfter));
    throw new DomainError(
      ErrorCode.RateLimited,
      429,
      `Rate limit exceeded: this integration takes ${spec.burst} messages per ${outcome.windowSeconds} s` +
        ` (${outcome.remaining} left in this window; this request counts ${points}). Nothing was queued: retry in ${retryAfter} s.`,
      [],
      'Too many requests',
    );
  }
}

/** IETF draft RateLimit headers: the window's limit, what is left, seconds to its end. */
function setHeaders(reply: FastifyReply, outcome: RateLimitOutcome): void {
  void reply
    .header('ratelimit-limit', String(outcome.limit))
    .header('ratelimit-remaining', String(outcome.remaining))
    .header('ratelimit-reset', String(outcome.resetSeconds))
    .header('ratelimit-policy', `${outcome.limit};w=${outcome.windowSeconds}`);
}

/** The batch endpoint counts its messages (an envelope that is not 1–1,000 messages counts 1). */
export function batchMessageCount(maxMessages: number): MessageCounter {
  return (body) => {
    const messages = (body as { messages?: unknown } | null)?.messages;
    return Array.isArray(messages) && messages.length >= 1 && messages.length <= maxMessages
      ? messages.length
      : 1;
  };
}
