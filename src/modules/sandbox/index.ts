export { SandboxModule } from './sandbox.module';
export { RAW_BODY_ROUTE } from './receiver/receiver.controller';
export type { RawBodyRequest } from './receiver/receiver.controller';
