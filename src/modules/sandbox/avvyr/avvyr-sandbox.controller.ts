import { Body, Controller, Param, Patch, Post, Put, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Env } from '../../../config/env';
import { LatencyDto } from '../fault.dto';
import { SandboxControlsController } from '../sandbox-controls.controller';
import { AvvyrSandboxBackend, BackendAnswer } from './avvyr-sandbox.backend';
import { AvvyrSandboxState } from './avvyr-sandbox.state';

type Json = Record<string, unknown>;

/**
 * The Avvyr backend contract (DESIGN.md) served over real HTTP for local runs and tests:
 * bearer auth, Idempotency-Key replay of successful calls, injectable faults, inspectable state.
 */
@ApiExcludeController()
@Controller('sandbox/avvyr')
export class AvvyrSandboxController extends SandboxControlsController {
  /** Fault actions: the inbound action names (inventory.set…); latency below. */
  constructor(
    protected readonly state: AvvyrSandboxState,
    private readonly backend: AvvyrSandboxBackend,
    private readonly env: Env,
  ) {
    super();
  }

  @Put('v1/inventory/levels')
  levels(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Json) {
    return this.serve('inventory.set', req, reply, () => this.backend.setLevels(body));
  }

  @Post('v1/inventory/adjustments')
  adjustments(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Json) {
    return this.serve('inventory.adjust', req, reply, () => this.backend.adjust(body));
  }

  @Post('v1/orders')
  createOrder(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Json) {
    return this.serve('order.create', req, reply, () =>
      this.backend.createOrder(body, accountOf(req)),
    );
  }

  @Patch('v1/orders/:id')
  updateOrder(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: Json,
  ) {
    return this.serve('order.update', req, reply, () => this.backend.updateOrder(id, body));
  }

  @Put('v1/products')
  products(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Json) {
    return this.serve('product.upsert', req, reply, () => this.backend.upsertProducts(body));
  }

  @Put('v1/prices')
  prices(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Json) {
    return this.serve('price.set', req, reply, () => this.backend.setPrices(body));
  }

  @Put('v1/customers')
  customers(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Json) {
    return this.serve('customer.upsert', req, reply, () => this.backend.upsertCustomer(body));
  }

  /** Every backend call waits this long before answering (0 to turn off). */
  @Put('latency')
  setLatency(@Body() dto: LatencyDto) {
    this.state.latencyMs = dto.ms;
    return { latencyMs: dto.ms };
  }

  private async serve(
    action: string,
    req: FastifyRequest,
    reply: FastifyReply,
    run: () => BackendAnswer,
  ) {
    if (this.state.latencyMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.state.latencyMs));
    }
    const key = header(req, 'idempotency-key');
    const log = (status: number, replayed: boolean) =>
      this.state.logCall({
        at: new Date().toISOString(),
        method: req.method,
        path: req.url.replace(/^\/sandbox\/avvyr/, ''),
        action,
        idempotencyKey: key,
        accountId: accountOf(req),
        status,
        replayed,
        body: req.body,
      });

    if (header(req, 'authorization') !== `Bearer ${this.env.AVVYR_API_TOKEN}`) {
      log(401, false);
      return reply.status(401).send({ detail: 'Invalid Avvyr API token' });
    }
    const fault = this.state.faults.take(action);
    if (fault) {
      log(fault.status, false);
      if (fault.retryAfterSeconds !== undefined) {
        void reply.header('retry-after', String(fault.retryAfterSeconds));
      }
      return reply.status(fault.status).send({ detail: `Injected fault ${fault.status}` });
    }
    const stored = key ? this.state.idempotency.get(key) : undefined;
    if (stored) {
      log(stored.status, true);
      return reply.status(stored.status).header('idempotent-replayed', 'true').send(stored.body);
    }
    const answer = run();
    // Only successes are remembered: a failed call may be retried with the same key.
    if (key && answer.status < 300) this.state.idempotency.set(key, answer);
    log(answer.status, false);
    return reply.status(answer.status).send(answer.body);
  }
}

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function accountOf(req: FastifyRequest): string | undefined {
  return header(req, 'x-avvyr-account-id');
}
