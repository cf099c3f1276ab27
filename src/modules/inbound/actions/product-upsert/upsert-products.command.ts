import { InboundActionCommand } from '../inbound-action.command';
import type { ProductUpsertPayload } from './product-upsert.payload';

export class UpsertProductsCommand extends InboundActionCommand<ProductUpsertPayload> {}
