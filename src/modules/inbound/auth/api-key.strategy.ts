import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { ApiKeyCache, IntegrationView } from '../../integrations';

export const API_KEY_STRATEGY = 'integration-api-key';

/** `Authorization: Bearer <api-key>` → the integration whose key hash matches, or a 401. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, API_KEY_STRATEGY) {
  constructor(private readonly keys: ApiKeyCache) {
    super();
  }

  async validate(apiKey: string): Promise<IntegrationView | false> {
    return (await this.keys.find(apiKey)) ?? false;
  }
}
