import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AcknowledgementKind, AvasamSandboxState, SandboxSeller } from './avasam-sandbox.state';

type Json = Record<string, unknown>;

/**
 * Avasam's seller API as this service uses it, over real HTTP: tokens for known key pairs with
 * an expiry (`.NET`-style `expires_at`), acknowledgements that need a valid raw
 * `Authorization: <access_token>`, and injected faults.
 */
@ApiExcludeController()
@Controller('sandbox/avasam')
export class AvasamSandboxApiController {
  constructor(private readonly state: AvasamSandboxState) {}

  @Post('api/auth/request-token')
  requestToken(@Res() reply: FastifyReply, @Body() body: Json) {
    const action = 'request-token';
    const consumerKey = typeof body?.consumer_key === 'string' ? body.consumer_key : undefined;
    if (this.faulted(action, reply, consumerKey)) return;
    const seller = consumerKey ? this.state.sellers.get(consumerKey) : undefined;
    if (!seller || seller.secretKey !== body?.secret_key) {
      return this.answer(reply, action, 401, { message: 'Invalid consumer key or secret key' });
    }
    const token = this.state.issueToken(seller);
    return this.answer(
      reply,
      action,
      200,
      {
        access_token: token.accessToken,
        expires_at: dotNetTime(token.expiresAt),
      },
      seller,
    );
  }

  @Post('api-seller/Product/AcknowledgeStockUpdate')
  acknowledgeStock(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Json) {
    return this.acknowledge('stock', req, reply, body);
  }

  /** Not an Avasam endpoint: a stand-in for a price acknowledgement path a seller configures. */
  @Post('api-seller/Product/AcknowledgePriceUpdate')
  acknowledgePrice(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Json) {
    return this.acknowledge('price', req, reply, body);
  }

  private acknowledge(
    kind: AcknowledgementKind,
    req: FastifyRequest,
    reply: FastifyReply,
    body: Json,
  ) {
    const action = `acknowledge-${kind}`;
    const seller = this.state.tokenOwner(req.headers.authorization);
    if (!seller) {
      return this.answer(reply, action, 401, { message: 'Invalid or expired access token' });
    }
    if (this.faulted(action, reply, seller.consumerKey)) return;
    const requestId = body?.requestId;
    if (typeof requestId !== 'string' || !requestId) {
      return this.answer(reply, action, 400, { message: 'requestId is required' }, seller);
    }
    this.state.acknowledge({
      kind,
      requestId,
      consumerKey: seller.consumerKey,
      at: new Date().toISOString(),
    });
    return this.answer(reply, action, 200, { success: true, requestId }, seller);
  }

  private faulted(action: string, reply: FastifyReply, consumerKey?: string): boolean {
    const fault = this.state.faults.take(action);
    if (!fault) return false;
    if (fault.retryAfterSeconds !== undefined) {
      void reply.header('retry-after', String(fault.retryAfterSeconds));
    }
    this.state.log({ at: new Date().toISOString(), action, status: fault.status, consumerKey });
    void reply.status(fault.status).send({ message: `Injected fault ${fault.status}` });
    return true;
  }

  private answer(
    reply: FastifyReply,
    action: string,
    status: number,
    body: unknown,
    seller?: SandboxSeller,
  ) {
    this.state.log({
      at: new Date().toISOString(),
      action,
      status,
      consumerKey: seller?.consumerKey,
    });
    return reply.status(status).send(body);
  }
}

/** "2021-12-22T17:36:19.8060000+00:00", as Avasam writes `expires_at`. */
function dotNetTime(date: Date): string {
  return date.toISOString().replace('Z', '0000+00:00');
}
