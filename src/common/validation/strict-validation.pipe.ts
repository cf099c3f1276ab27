import { ArgumentMetadata, Injectable, ValidationPipe } from '@nestjs/common';
import { ValidationFailedError } from '../errors';
import { shapeOf, validateDto } from './strict-dto';

/**
 * The global pipe: request bodies typed as a DTO go through `validateDto` (unknown keys of any
 * name refused, `null` refused unless `@Nullable()`, errors listed by path); a request without a
 * body is read as `{}`. Params and queries keep Nest's ValidationPipe.
 */
@Injectable()
export class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype as (new () => object) | undefined;
    if (metadata.type !== 'body' || !type || !shapeOf(type)) {
      return super.transform(value, metadata);
    }
    const body = value ?? {};
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw new ValidationFailedError([{ path: '', message: 'the body must be a JSON object' }]);
    }
    const { errors, instance } = validateDto(type, body);
    if (errors.length) throw new ValidationFailedError(errors);
    return instance;
  }
}
