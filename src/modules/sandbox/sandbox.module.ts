import { Module } from '@nestjs/common';
import { AvasamSandboxApiController } from './avasam/avasam-sandbox-api.controller';
import { AvasamSandboxController } from './avasam/avasam-sandbox.controller';
import { AvasamSandboxState } from './avasam/avasam-sandbox.state';
import { AvasamTestButton } from './avasam/avasam-test-button';
import { AvvyrSandboxBackend } from './avvyr/avvyr-sandbox.backend';
import { AvvyrSandboxController } from './avvyr/avvyr-sandbox.controller';
import { AvvyrSandboxState } from './avvyr/avvyr-sandbox.state';

/** Local stand-ins for the Avvyr backend and the Avasam API, over real HTTP; off in production. */
@Module({
  controllers: [AvvyrSandboxController, AvasamSandboxApiController, AvasamSandboxController],
  providers: [AvvyrSandboxState, AvvyrSandboxBackend, AvasamSandboxState, AvasamTestButton],
})
export class SandboxModule {}
