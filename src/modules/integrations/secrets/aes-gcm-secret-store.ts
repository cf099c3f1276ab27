import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Env } from '../../../config/env';
import { SecretStore } from './secret-store.port';
import { EncryptedSecret } from './encrypted-secret.schema';

/** AES-256-GCM under SECRETS_KEY; the reference is authenticated data, so blobs can't be swapped. */
@Injectable()
export class AesGcmSecretStore extends SecretStore {
  private readonly key: Buffer;

  constructor(
    @InjectModel(EncryptedSecret.name) private readonly secrets: Model<EncryptedSecret>,
    env: Env,
  ) {
    super();
    this.key = Buffer.from(env.SECRETS_KEY, 'hex');
  }

  async put(ref: string, value: string): Promise<void> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(ref));
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    await this.secrets.updateOne(
      { _id: ref },
      {
        $set: {
          iv: iv.toString('base64'),
          tag: cipher.getAuthTag().toString('base64'),
          ciphertext: ciphertext.toString('base64'),
        },
      },
      { upsert: true },
    );
  }

  async get(ref: string): Promise<string | undefined> {
    const doc = await this.secrets.findById(ref).lean();
    if (!doc) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(doc.iv, 'base64'))
      .setAAD(Buffer.from(ref))
      .setAuthTag(Buffer.from(doc.tag, 'base64'));
    return Buffer.concat([
      decipher.update(Buffer.from(doc.ciphertext, 'base64')),
      decipher.final(),
    ]).toString('utf8');
  }

  async delete(ref: string): Promise<void> {
    await this.secrets.deleteOne({ _id: ref });
  }
}
