import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ApiKeyCache } from './api-keys/api-key.cache';
import { ManagementAuthGuard } from './auth/management-auth.guard';
import { ManagementTokenService } from './auth/management-token.service';
import { Integration, IntegrationSchema } from './integration.schema';
import { IntegrationsController } from './manage/integrations.controller';
import { IntegrationsService } from './manage/integrations.service';
import { AesGcmSecretStore } from './secrets/aes-gcm-secret-store';
import { EncryptedSecret, EncryptedSecretSchema } from './secrets/encrypted-secret.schema';
import { SecretStore } from './secrets/secret-store.port';

const services = [IntegrationsService, ApiKeyCache, ManagementTokenService, ManagementAuthGuard];
const adapters = [{ provide: SecretStore, useClass: AesGcmSecretStore }];

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Integration.name, schema: IntegrationSchema },
      { name: EncryptedSecret.name, schema: EncryptedSecretSchema },
    ]),
  ],
  controllers: [IntegrationsController],
  providers: [...services, ...adapters],
  exports: [...services, SecretStore],
})
export class IntegrationsModule {}
