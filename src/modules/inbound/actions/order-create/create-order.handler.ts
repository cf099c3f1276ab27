import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AvvyrClient } from '../../../avvyr';
import { CreateOrderCommand } from './create-order.command';

@CommandHandler(CreateOrderCommand)
export class CreateOrderHandler implements ICommandHandler<CreateOrderCommand> {
  constructor(private readonly avvyr: AvvyrClient) {}

  execute(command: CreateOrderCommand): Promise<unknown> {
    return this.avvyr.createOrder(command.payload, command.callContext);
  }
}
