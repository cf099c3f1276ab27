import { plainToInstance } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, validateSync, ValidationTypes } from 'class-validator';
import { FieldError, flattenValidationErrors } from '../errors';
import { compiledCheck } from './compiled-dto-check';

type DtoClass = abstract new (...args: never[]) => object;

const NULLABLE = 'avvyr:nullable';
const MIN_PROPERTIES = 'avvyr:minProperties';

/**
 * This optional property also takes `null`, which means something documented (e.g. "clear this
 * setting"). Every other property refuses `null`: omit it instead.
 */
export function Nullable(): PropertyDecorator {
  return (target, property) => {
    const names = new Set<string>(nullableNames(target));
    names.add(String(property));
    Reflect.defineMetadata(NULLABLE, names, target);
  };
}

/** The object must carry at least `count` of its properties (a PATCH that changes something). */
export function MinProperties(count: number): ClassDecorator {
  return (target) => Reflect.defineMetadata(MIN_PROPERTIES, count, target);
}

const nullableNames = (target: object) =>
  (Reflect.getMetadata(NULLABLE, target) as Set<string> | undefined) ?? [];

interface Shape {
  allowed: Set<string>;
  nullable: Set<string>;
  nested: Map<string, DtoClass>;
  minProperties: number;
}

const shapes = new Map<DtoClass, Shape | null>();

/** The properties a DTO declares (any class-validator decorator), its nested DTOs and nullables. */
export function shapeOf(type: DtoClass): Shape | undefined {
  if (!shapes.has(type)) {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(type, '', false, false);
    if (!metadata.length) {
      shapes.set(type, null);
    } else {
      const allowed = new Set(metadata.map((m) => m.propertyName));
      const nested = new Map<string, DtoClass>();
      for (const m of metadata) {
        if (m.type !== ValidationTypes.NESTED_VALIDATION) continue;
        const typeFunction = defaultMetadataStorage.findTypeMetadata(type, m.propertyName)
          ?.typeFunction as (() => DtoClass) | undefined;
        const child = typeFunction?.();
        if (child) nested.set(m.propertyName, child);
      }
      shapes.set(type, {
        allowed,
        nested,
        nullable: new Set<string>(nullableNames(type.prototype as object)),
        minProperties: Number(Reflect.getMetadata(MIN_PROPERTIES, type) ?? 0),
      });
    }
  }
  return shapes.get(type) ?? undefined;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the raw input against the DTO's declared properties, before class-transformer sees it:
 * - unknown keys are refused, whatever their name: class-transformer silently drops keys that
 *   name an inherited member (`hasOwnProperty`, `constructor`, `toString`…), so class-validator's
 *   whitelist never sees them, and it looks properties up on plain objects where those names
 *   are always "known";
 * - `null` is refused unless the property is `@Nullable()`;
 * - `@MinProperties(n)` is enforced.
 * Returns the errors and a copy holding only declared keys, which is what class-transformer then
 * gets: 50,000 unknown keys cost one loop, not seconds of metadata lookups per key.
 */
export interface ShapeOptions {
  /** `drop`: unknown keys are left out without an error (the Avasam webhooks' tolerance). */
  unknownKeys?: 'refuse' | 'drop';
  /** `allow`: `null` goes to the validators as it is (the Avasam webhooks' tolerance). */
  nulls?: 'refuse' | 'allow';
}

export function checkShape(
  type: DtoClass,
  value: unknown,
  path: string,
  errors: FieldError[] = [],
  options: ShapeOptions = {},
): { errors: FieldError[]; cleaned: unknown } {
  const shape = shapeOf(type);
  if (!shape || !isObject(value)) return { errors, cleaned: value };
  const cleaned: Record<string, unknown> = {};
  let declared = 0;
  for (const key of Object.keys(value)) {
    const keyPath = join(path, key);
    if (!shape.allowed.has(key)) {
      if (options.unknownKeys !== 'drop') {
        errors.push({ path: keyPath, message: `property ${key} should not exist` });
      }
      continue;
    }
    declared++;
    const child = value[key];
    if (child === null && !shape.nullable.has(key) && options.nulls !== 'allow') {
      errors.push({ path: keyPath, message: `${key} must not be null (omit it instead)` });
    }
    const nested = shape.nested.get(key);
    if (nested && Array.isArray(child)) {
      cleaned[key] = child.map(
        (item, index) => checkShape(nested, item, `${keyPath}[${index}]`, errors, options).cleaned,
      );
    } else if (nested) {
      cleaned[key] = checkShape(nested, child, keyPath, errors, options).cleaned;
    } else {
      cleaned[key] = child;
    }
  }
  if (declared < shape.minProperties) {
    errors.push({
      path,
      message: `send at least ${shape.minProperties} of: ${[...shape.allowed].join(', ')}`,
    });
  }
  return { errors, cleaned };
}

/**
 * Validates raw input as `type`: the shape check above, then class-validator on the cleaned
 * copy. Every failing path is reported (`data.items[1].quantity`), prefixed with `path`.
 */
export function validateDto<T extends object>(
  type: new () => T,
  value: unknown,
  path = '',
  options: ShapeOptions = {},
): { errors: FieldError[]; instance: T } {
  const { errors, cleaned } = checkShape(type, value, path, [], options);
  return validateCleaned(type, cleaned, path, errors);
}

/**
 * validateDto's errors, for hot paths that need no instance (each inbound message's payload):
 * input that the DTO's compiled check vouches for skips class-transformer and class-validator;
 * anything else goes through them, so every error a client sees is class-validator's own.
 */
export function dtoErrors(
  type: DtoClass,
  value: unknown,
  path = '',
  options: ShapeOptions = {},
): FieldError[] {
  const { errors, cleaned } = checkShape(type, value, path, [], options);
  if (!errors.length && isObject(cleaned) && compiledCheck(type, nestedTypesOf)?.(cleaned)) {
    return errors;
  }
  return validateCleaned(type, cleaned, path, errors).errors;
}

function validateCleaned<T extends object>(
  type: DtoClass,
  cleaned: unknown,
  path: string,
  errors: FieldError[],
): { errors: FieldError[]; instance: T } {
  const instance = toInstance(type, cleaned) as T;
  errors.push(
    ...flattenValidationErrors(
      validateSync(instance, {
        whitelist: true,
        forbidNonWhitelisted: true,
        forbidUnknownValues: true,
        validationError: { target: false, value: false },
      }),
      path,
    ),
  );
  return { errors, instance };
}

/** The nested DTOs of a DTO's properties (class-transformer's `@Type`), as the shape check reads them. */
export const nestedTypesOf = (type: DtoClass) =>
  shapeOf(type)?.nested ?? new Map<string, DtoClass>();

/**
 * class-transformer's plainToInstance, one level at a time: nested DTOs are built by this
 * function, and any other object value (free-form `settings`, or an object sent where a string
 * belongs) is set as sent, never walked by class-transformer, which reads `value.constructor`
 * (`{"constructor":"x"}` made it throw: a 500) and drops keys that name inherited members.
 */
function toInstance(type: DtoClass, value: unknown): unknown {
  const shape = shapeOf(type);
  if (!shape || !isObject(value)) return value;
  const plain: Record<string, unknown> = {};
  const asSent: [string, unknown][] = [];
  for (const [key, raw] of Object.entries(value)) {
    const nested = shape.nested.get(key);
    if (nested) {
      asSent.push([
        key,
        Array.isArray(raw) ? raw.map((item) => toInstance(nested, item)) : toInstance(nested, raw),
      ]);
    } else if (typeof raw === 'object' && raw !== null && !transformedProperty(type, key)) {
      asSent.push([key, raw]);
    } else {
      plain[key] = raw;
    }
  }
  const instance = plainToInstance(type as unknown as new () => object, plain);
  for (const [key, raw] of asSent) (instance as Record<string, unknown>)[key] = raw;
  return instance;
}

/** A property with its own @Type (such as `@Type(() => Date)`): class-transformer converts it. */
const transformedProperty = (type: DtoClass, key: string) =>
  Boolean(defaultMetadataStorage.findTypeMetadata(type, key));
