import { Module } from '@nestjs/common';
import { AvvyrSandboxBackend } from './avvyr/avvyr-sandbox.backend';
import { AvvyrSandboxController } from './avvyr/avvyr-sandbox.controller';
import { AvvyrSandboxState } from './avvyr/avvyr-sandbox.state';

/** Local stand-ins for the Avvyr backend (and Avasam API), over real HTTP; off in production. */
@Module({
  controllers: [AvvyrSandboxController],
  providers: [AvvyrSandboxState, AvvyrSandboxBackend],
})
export class SandboxModule {}
