import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isValidObjectId } from 'mongoose';
import { Webhook } from 'standardwebhooks';
import { ErrorCode } from '../../../common/errors';
import { problemType } from '../../../common/http';
import { SecretStore } from '../../integrations';
import { notificationSecretRef } from '../../notifications';
import { SandboxControlsController } from '../sandbox-controls.controller';
import { RECORDED_HEADERS, ReceiverState } from './receiver.state';

export const RAW_BODY_ROUTE = '/sandbox/receiver';
/** A request whose JSON parser kept the body as sent (only under RAW_BODY_ROUTE). */
export type RawBodyRequest = FastifyRequest & { rawBody?: string };

/**
 * A notification receiver for local runs and tests: records every delivery and verifies its
 * Standard Webhooks signature (`Webhook.verify`) with the current secret of the integration it
 * belongs to (`?integrationId=` in the notification URL, else the payload's
 * `data.integrationId`). Answers 204 when verified, 401 when not, or an injected fault
 * (`POST /sandbox/receiver/faults {status, times}`).
 */
@ApiExcludeController()
@Controller('sandbox/receiver')
export class ReceiverController extends SandboxControlsController {
  constructor(
    protected readonly state: ReceiverState,
    private readonly secrets: SecretStore,
  ) {
    super();
  }

  @Post()
  async receive(
    @Req() request: RawBodyRequest,
    @Res() reply: FastifyReply,
    @Query('integrationId') queryIntegrationId: string | undefined,
    @Body() body: unknown,
  ) {
    const integrationId =
      (typeof queryIntegrationId === 'string' && queryIntegrationId) || integrationIdOf(body);
    const headers: Record<string, string> = {};
    for (const name of RECORDED_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const { verified, reason } = await this.verify(
      integrationId,
      request.rawBody ?? JSON.stringify(body ?? ''),
      headers,
    );
    const fault = this.state.faults.take('receive');
    const answered = fault?.status ?? (verified ? 204 : 401);
    this.state.record({
      at: new Date().toISOString(),
      integrationId: integrationId ?? null,
      headers,
      body,
      verified,
      ...(reason && { reason }),
      answered,
    });
    if (fault) {
      if (fault.retryAfterSeconds !== undefined)
        void reply.header('retry-after', String(fault.retryAfterSeconds));
      return reply.status(fault.status).send({ error: 'sandbox receiver fault' });
    }
    if (verified) return reply.status(204).send();
    return reply
      .status(401)
      .type('application/problem+json')
      .send({
        type: problemType(ErrorCode.WebhookSignatureInvalid),
        title: 'Unauthorized',
        status: 401,
        detail: `The signature did not verify: ${reason}`,
        code: ErrorCode.WebhookSignatureInvalid,
        errors: [],
      });
  }

  /** `{deliveries: [...]}`, oldest first; `?integrationId=` keeps one integration's. */
  @Get()
  list(@Query('integrationId') integrationId?: string) {
    return {
      deliveries: this.state.list(typeof integrationId === 'string' ? integrationId : undefined),
    };
  }

  private async verify(
    integrationId: string | undefined,
    payload: string,
    headers: Record<string, string>,
  ): Promise<{ verified: boolean; reason?: string }> {
    if (!integrationId || !isValidObjectId(integrationId))
      return { verified: false, reason: 'no integration: add ?integrationId= to the URL' };
    const secret = await this.secrets.get(notificationSecretRef(integrationId));
    if (!secret) return { verified: false, reason: 'the integration has no notification secret' };
    try {
      new Webhook(secret).verify(payload, headers);
      return { verified: true };
    } catch (error) {
      return { verified: false, reason: (error as Error).message };
    }
  }
}

function integrationIdOf(body: unknown): string | undefined {
  const data = (body as { data?: { integrationId?: unknown } } | null)?.data;
  return typeof data?.integrationId === 'string' ? data.integrationId : undefined;
}
