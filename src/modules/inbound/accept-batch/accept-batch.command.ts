import { Command } from '@nestjs/cqrs';
import type { FieldError } from '../../../common/errors';
import type { IntegrationView } from '../../integrations';

export type BatchResult =
  | { index: number; messageId: string }
  | { index: number; status: number; code: string; errors: FieldError[] };

export interface AcceptedBatch {
  batchId: string;
  results: BatchResult[];
  accepted: number;
  rejected: number;
}

/** An authenticated batch request `{messages: […]}`, not yet validated or queued. */
export class AcceptBatchCommand extends Command<AcceptedBatch> {
  constructor(
    readonly integration: IntegrationView,
    readonly body: unknown,
    readonly correlationId: string,
  ) {
    super();
  }
}
