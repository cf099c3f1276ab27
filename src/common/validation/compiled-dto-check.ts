import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type DtoClass = abstract new (...args: never[]) => object;
/** Whether a plain object certainly passes its DTO's class-validator rules. */
type Check = (object: Record<string, unknown>) => boolean;

interface PropertyRules {
  name: string;
  /** `@IsOptional`, `@ValidateIf`: the property is validated only when all of them hold. */
  conditions: ValidationMetadata[];
  /** `@IsDefined` first, then every other constraint, as class-validator runs them. */
  constraints: ValidationMetadata[];
  /** The nested DTO (`@ValidateNested` with `@Type`), if the property has one. */
  nested?: DtoClass;
}

const checks = new Map<DtoClass, Check | null>();

/**
 * A check compiled once per DTO from the same class-validator metadata that `validateSync` reads
 * on every call, for the hot path: it answers true only when class-validator would report no
 * error for the same plain object (as `checkShape` cleans it: declared keys only), so a message
 * that passes skips class-transformer and class-validator. Anything it cannot vouch for (a
 * constraint that fails, a value of an unexpected shape, a decorator kind it does not know)
 * answers false, and the caller runs class-validator, which then writes the errors: the answers a
 * client sees come from one place. Null when the DTO uses a kind of rule this does not compile.
 */
export function compiledCheck(type: DtoClass, nestedOf: (type: DtoClass) => Map<string, DtoClass>) {
  if (!checks.has(type)) {
    checks.set(type, null); // a DTO nested in itself is compiled once
    checks.set(type, compile(type, nestedOf));
  }
  return checks.get(type) ?? undefined;
}

function compile(type: DtoClass, nestedOf: (type: DtoClass) => Map<string, DtoClass>) {
  const storage = getMetadataStorage();
  const metadata = storage.getTargetValidationMetadatas(type, '', false, false);
  if (!metadata.length) return null;
  const byProperty = storage.groupByPropertyName(metadata);
  if (!bareInstance(type, byProperty)) return null;
  const nestedTypes = nestedOf(type);
  const properties: PropertyRules[] = [];
  for (const [name, list] of Object.entries(byProperty)) {
    const rules: PropertyRules = { name, conditions: [], constraints: [] };
    const defined: ValidationMetadata[] = [];
    for (const m of list) {
      if (m.groups?.length || m.always) return null;
      if (m.type === ValidationTypes.CONDITIONAL_VALIDATION) rules.conditions.push(m);
      else if (m.type === ValidationTypes.IS_DEFINED) defined.push(m);
      else if (m.type === ValidationTypes.CUSTOM_VALIDATION) rules.constraints.push(m);
      else if (m.type === ValidationTypes.NESTED_VALIDATION) {
        rules.nested = nestedTypes.get(name);
        if (!rules.nested) return null;
      } else if (m.type !== ValidationTypes.WHITELIST) return null;
    }
    rules.constraints.unshift(...defined);
    properties.push(rules);
  }
  const targetName = type.name;
  return (object: Record<string, unknown>) =>
    properties.every((rules) => passes(rules, object, targetName, nestedOf));
}

function passes(
  rules: PropertyRules,
  object: Record<string, unknown>,
  targetName: string,
  nestedOf: (type: DtoClass) => Map<string, DtoClass>,
): boolean {
  const value = object[rules.name];
  const applies = rules.conditions.every((m) =>
    (m.constraints[0] as (o: object, v: unknown) => boolean)(object, value),
  );
  if (!applies) return true;
  for (const m of rules.constraints) {
    if (!constraintHolds(m, object, value, targetName)) return false;
  }
  if (!rules.nested || value === undefined) return true;
  const check = compiledCheck(rules.nested, nestedOf);
  if (!check) return false;
  const items = Array.isArray(value) ? value : [value];
  return items.every((item) => isPlainObject(item) && check(item));
}

function constraintHolds(
  m: ValidationMetadata,
  object: object,
  value: unknown,
  targetName: string,
): boolean {
  if (m.validateIf && !m.validateIf(object, value)) return true;
  const args: ValidationArguments = {
    targetName,
    property: m.propertyName,
    object,
    value,
    constraints: m.constraints as unknown[],
  };
  for (const constraint of getMetadataStorage().getTargetValidatorConstraints(m.constraintCls)) {
    // validateSync skips async constraints; a sync one that answers a promise goes unchecked
    // there, so only the slow path may decide about it.
    if (constraint.async) continue;
    const validate = (v: unknown) => constraint.instance.validate(v, args) as unknown;
    const results = m.each && Array.isArray(value) ? value.map(validate) : [validate(value)];
    if (!results.every((result) => result === true)) return false;
  }
  return true;
}

/**
 * class-transformer builds the instance with `new`, and class-validator checks the instance's
 * own keys: a field initialiser would give a missing property a value to check, and a field
 * without a rule would be refused as not whitelisted. Only DTOs whose fresh instance holds
 * nothing but undefined rule-bearing fields compile.
 */
function bareInstance(type: DtoClass, byProperty: Record<string, unknown>): boolean {
  try {
    const instance = new (type as unknown as new () => object)() as Record<string, unknown>;
    return Object.keys(instance).every((key) => key in byProperty && instance[key] === undefined);
  } catch {
    return false;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
