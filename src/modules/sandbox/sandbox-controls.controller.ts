import { Body, Delete, Get, HttpCode, Post } from '@nestjs/common';
import type { FaultPlan } from './fault-plan';
import { FaultDto } from './fault.dto';

/** What every sandbox lets a test or a developer inspect and steer. */
export interface SandboxControls {
  readonly faults: FaultPlan;
  snapshot(): unknown;
  reset(): void;
}

/**
 * The state and fault routes every sandbox serves under its own path (`GET|DELETE state`,
 * `POST|DELETE faults`); a sandbox's controller extends it and adds its own routes.
 */
export abstract class SandboxControlsController {
  protected abstract readonly state: SandboxControls;

  @Get('state')
  getState() {
    return this.state.snapshot();
  }

  @Delete('state')
  @HttpCode(204)
  reset(): void {
    this.state.reset();
  }

  /** The next `times` calls of `action` (or of any call) answer `status`. */
  @Post('faults')
  @HttpCode(201)
  addFault(@Body() dto: FaultDto) {
    return { faults: this.state.faults.add(dto) };
  }

  @Delete('faults')
  @HttpCode(204)
  clearFaults(): void {
    this.state.faults.clear();
  }
}
