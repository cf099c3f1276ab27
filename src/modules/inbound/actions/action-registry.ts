import type { MessageContext } from '../../../common/context';
import type { InboundActionName } from '../../../common/inbound-actions';
import type { StepReporter } from '../../events';
import { AdjustInventoryCommand } from './inventory-adjust/adjust-inventory.command';
import { AdjustInventoryHandler } from './inventory-adjust/adjust-inventory.handler';
import { InventoryAdjustPayload } from './inventory-adjust/inventory-adjust.payload';
import { InventorySetPayload } from './inventory-set/inventory-set.payload';
import { SetInventoryCommand } from './inventory-set/set-inventory.command';
import { SetInventoryHandler } from './inventory-set/set-inventory.handler';
import { CreateOrderCommand } from './order-create/create-order.command';
import { CreateOrderHandler } from './order-create/create-order.handler';
import { OrderCreatePayload } from './order-create/order-create.payload';
import { OrderUpdatePayload } from './order-update/order-update.payload';
import { UpdateOrderCommand } from './order-update/update-order.command';
import { UpdateOrderHandler } from './order-update/update-order.handler';
import { CustomerUpsertPayload } from './customer-upsert/customer-upsert.payload';
import { UpsertCustomerCommand } from './customer-upsert/upsert-customer.command';
import { UpsertCustomerHandler } from './customer-upsert/upsert-customer.handler';
import { PriceSetPayload } from './price-set/price-set.payload';
import { SetPricesCommand } from './price-set/set-prices.command';
import { SetPricesHandler } from './price-set/set-prices.handler';
import { ProductUpsertPayload } from './product-upsert/product-upsert.payload';
import { UpsertProductsCommand } from './product-upsert/upsert-products.command';
import { UpsertProductsHandler } from './product-upsert/upsert-products.handler';
import type { InboundActionCommand } from './inbound-action.command';

type CommandClass = new (
  context: MessageContext,
  payload: never,
  entityId: string | undefined,
  report: StepReporter,
) => InboundActionCommand<unknown>;

export interface ActionDefinition {
  /** The DTO `data` must satisfy. */
  payload: new () => object;
  command: CommandClass;
  requiresEntityId: boolean;
  summary: string;
}

/** The supported actions: name → payload DTO, command and whether entityId is required. */
export const INBOUND_ACTIONS = {
  'inventory.set': {
    payload: InventorySetPayload,
    command: SetInventoryCommand,
    requiresEntityId: false,
    summary: 'Set absolute inventory levels for one or more SKUs',
  },
  'inventory.adjust': {
    payload: InventoryAdjustPayload,
    command: AdjustInventoryCommand,
    requiresEntityId: false,
    summary: 'Adjust inventory levels relative to current stock',
  },
  'order.create': {
    payload: OrderCreatePayload,
    command: CreateOrderCommand,
    requiresEntityId: false,
    summary: 'Create a new order in Avvyr',
  },
  'order.update': {
    payload: OrderUpdatePayload,
    command: UpdateOrderCommand,
    requiresEntityId: true,
    summary: 'Update an existing order (status, tracking); entityId is the Avvyr order id',
  },
  'product.upsert': {
    payload: ProductUpsertPayload,
    command: UpsertProductsCommand,
    requiresEntityId: false,
    summary: 'Create or update products in bulk',
  },
  'price.set': {
    payload: PriceSetPayload,
    command: SetPricesCommand,
    requiresEntityId: false,
    summary: 'Set prices for one or more SKUs',
  },
  'customer.upsert': {
    payload: CustomerUpsertPayload,
    command: UpsertCustomerCommand,
    requiresEntityId: false,
    summary: 'Create or update a customer',
  },
} as const satisfies Record<InboundActionName, ActionDefinition>;

export type InboundAction = keyof typeof INBOUND_ACTIONS;
export const SUPPORTED_ACTIONS = Object.keys(INBOUND_ACTIONS) as InboundAction[];

export function isInboundAction(value: unknown): value is InboundAction {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(INBOUND_ACTIONS, value);
}

export const actionCommandHandlers = [
  SetInventoryHandler,
  AdjustInventoryHandler,
  CreateOrderHandler,
  UpdateOrderHandler,
  UpsertProductsHandler,
  SetPricesHandler,
  UpsertCustomerHandler,
];
