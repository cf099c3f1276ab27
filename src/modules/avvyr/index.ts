export { AvvyrModule } from './avvyr.module';
export { AvvyrClient } from './avvyr-client.port';
export type {
  AvvyrCallContext,
  InventoryLevel,
  InventoryAdjustment,
  PriceItem,
} from './avvyr-client.port';
