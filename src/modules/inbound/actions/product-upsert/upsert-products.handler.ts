import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AvvyrClient } from '../../../avvyr';
import { UpsertProductsCommand } from './upsert-products.command';

@CommandHandler(UpsertProductsCommand)
export class UpsertProductsHandler implements ICommandHandler<UpsertProductsCommand> {
  constructor(private readonly avvyr: AvvyrClient) {}

  execute(command: UpsertProductsCommand): Promise<unknown> {
    return this.avvyr.upsertProducts(command.payload.products, command.callContext);
  }
}
