export { LoggingModule } from './logging.module';
export { ROOT_LOGGER } from './logging.tokens';
export { secretScrubber } from './scrub-secrets';
