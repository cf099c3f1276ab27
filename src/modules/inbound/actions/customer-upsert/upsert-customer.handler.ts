import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AvvyrClient } from '../../../avvyr';
import { UpsertCustomerCommand } from './upsert-customer.command';

@CommandHandler(UpsertCustomerCommand)
export class UpsertCustomerHandler implements ICommandHandler<UpsertCustomerCommand> {
  constructor(private readonly avvyr: AvvyrClient) {}

  execute(command: UpsertCustomerCommand): Promise<unknown> {
    return this.avvyr.upsertCustomer(command.payload, command.callContext);
  }
}
