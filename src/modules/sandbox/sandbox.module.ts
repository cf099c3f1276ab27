import { Module } from '@nestjs/common';
import { AvasamSandboxApiController } from './avasam/avasam-sandbox-api.controller';
import { AvasamSandboxController } from './avasam/avasam-sandbox.controller';
import { AvasamSandboxState } from './avasam/avasam-sandbox.state';
import { AvasamTestButton } from './avasam/avasam-test-button';
import { AvvyrSandboxBackend } from './avvyr/avvyr-sandbox.backend';
import { AvvyrSandboxController } from './avvyr/avvyr-sandbox.controller';
import { AvvyrSandboxState } from './avvyr/avvyr-sandbox.state';
import { IntegrationsModule } from '../integrations';
import { ReceiverController } from './receiver/receiver.controller';
import { ReceiverState } from './receiver/receiver.state';

/**
 * Local stand-ins for the Avvyr backend and the Avasam API, and a notification receiver, over
 * real HTTP; off in production.
 */
@Module({
  imports: [IntegrationsModule],
  controllers: [
    AvvyrSandboxController,
    AvasamSandboxApiController,
    AvasamSandboxController,
    ReceiverController,
  ],
  providers: [
    AvvyrSandboxState,
    AvvyrSandboxBackend,
    AvasamSandboxState,
    AvasamTestButton,
    ReceiverState,
  ],
})
export class SandboxModule {}
