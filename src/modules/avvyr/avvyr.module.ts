import { Module } from '@nestjs/common';
import { AvvyrClient } from './avvyr-client.port';
import { HttpAvvyrClient } from './http-avvyr-client';

@Module({
  providers: [{ provide: AvvyrClient, useClass: HttpAvvyrClient }],
  exports: [AvvyrClient],
})
export class AvvyrModule {}
