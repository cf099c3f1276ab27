import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, Matches } from 'class-validator';
import { RequiredText } from '../payload-rules';

const PHONE = /^\+?[0-9][0-9 ()-]{4,24}$/;

export class CustomerUpsertPayload {
  @ApiProperty({ example: 'customer@example.com', format: 'email' })
  @IsEmail()
  email: string;

  @ApiPropertyOptional({ example: 'Anna' })
  @IsOptional()
  @RequiredText()
  firstName?: string;

  @ApiPropertyOptional({ example: 'Svensson' })
  @IsOptional()
  @RequiredText()
  lastName?: string;

  @ApiPropertyOptional({ example: '+46701234567', pattern: PHONE.source })
  @IsOptional()
  @Matches(PHONE, {
    message: 'phone must be a phone number such as +46701234567',
  })
  phone?: string;
}
