import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { SecretStore } from '../../integrations';
import type { AvasamSettings } from './avasam-settings';

/** The consumer key and secret key a seller generated in Avasam, for its API. */
export interface AvasamApiKeys {
  consumerKey: string;
  secretKey: string;
  /** Identifies this key pair without revealing it (token cache key). */
  fingerprint: string;
}

/** Reads an Avasam integration's secrets from the SecretStore, only when they are needed. */
@Injectable()
export class AvasamSecrets {
  constructor(private readonly store: SecretStore) {}

  verificationToken(settings: AvasamSettings): Promise<string> {
    return this.read(settings.verificationTokenRef);
  }

  async apiKeys(settings: AvasamSettings): Promise<AvasamApiKeys> {
    const [consumerKey, secretKey] = await Promise.all([
      this.read(settings.consumerKeyRef),
      this.read(settings.secretKeyRef),
    ]);
    const fingerprint = createHash('sha256').update(`${consumerKey}\n${secretKey}`).digest('hex');
    return { consumerKey, secretKey, fingerprint };
  }

  private async read(ref: string): Promise<string> {
    const value = await this.store.get(ref);
    if (value === undefined) throw new Error(`Secret ${ref} is missing from the SecretStore`);
    return value;
  }
}
