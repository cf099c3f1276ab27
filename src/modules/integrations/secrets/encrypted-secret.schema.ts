import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

@Schema({ collection: 'secrets', versionKey: false, timestamps: true })
export class EncryptedSecret {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  iv: string;

  @Prop({ required: true })
  tag: string;

  @Prop({ required: true })
  ciphertext: string;
}

export const EncryptedSecretSchema = SchemaFactory.createForClass(EncryptedSecret);
