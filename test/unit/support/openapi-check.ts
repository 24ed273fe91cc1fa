/**
 * A deliberately small OpenAPI conformance check for tests: required properties, basic JSON
 * types, enums, nullability, `$ref`, `anyOf`/`oneOf`/`allOf`. Not a full JSON Schema validator —
 * enough to catch a missing required field or a wrong type in what Switchyard emits.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

type Schema = Record<string, unknown>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface SpecChecker {
  /** Problems found checking `value` against `components.schemas[name]` (empty when it conforms). */
  check(name: string, value: unknown): string[];
}

/** Loads the OpenAPI document at `path` (YAML) once. */
export function loadSpecChecker(path: string): SpecChecker {
  const document: unknown = parse(readFileSync(path, 'utf8'));
  const schemas = isObject(document) && isObject(document.components) && isObject(document.components.schemas)
    ? document.components.schemas
    : {};

  const resolve = (schema: Schema): Schema => {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    const target = schemas[ref.replace('#/components/schemas/', '')];
    if (!isObject(target)) throw new Error(`unresolved $ref ${ref}`);
    return resolve(target);
  };

  const typeMatches = (type: unknown, value: unknown): boolean => {
    switch (type) {
      case 'object': return isObject(value);
      case 'array': return Array.isArray(value);
      case 'string': return typeof value === 'string';
      case 'integer': return Number.isInteger(value);
      case 'number': return typeof value === 'number';
      case 'boolean': return typeof value === 'boolean';
      case 'null': return value === null;
      default: return true;
    }
  };

  function walk(raw: Schema, value: unknown, path: string, problems: string[]): void {
    const schema = resolve(raw);
    const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
    if (alternatives) {
      const fits = alternatives.some((alt) => {
        const inner: string[] = [];
        walk(alt, value, path, inner);
        return inner.length === 0;
      });
      if (!fits) problems.push(`${path}: matches none of the alternatives`);
      return;
    }
    for (const part of (schema.allOf as Schema[] | undefined) ?? []) walk(part, value, path, problems);
    if (value === null) {
      // `nullable` may sit beside a `$ref` (OpenAPI 3.0 style), so look at both.
      const nullable = raw.nullable === true || schema.nullable === true;
      if (!nullable && schema.type !== undefined && schema.type !== 'null') problems.push(`${path}: null is not allowed`);
      return;
    }
    if (!typeMatches(schema.type, value)) return void problems.push(`${path}: expected ${String(schema.type)}, got ${JSON.stringify(value)}`);
    if (Array.isArray(schema.enum) && !schema.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
    if (isObject(value)) {
      for (const key of (schema.required as string[] | undefined) ?? []) {
        if (!Object.hasOwn(value, key)) problems.push(`${path}.${key}: required`);
      }
      const properties = isObject(schema.properties) ? schema.properties : {};
      for (const [key, sub] of Object.entries(properties)) {
        if (Object.hasOwn(value, key) && isObject(sub)) walk(sub, value[key], `${path}.${key}`, problems);
      }
    }
    if (Array.isArray(value) && isObject(schema.items)) {
      const items = schema.items;
      value.forEach((item, i) => walk(items, item, `${path}[${i}]`, problems));
    }
  }

  return {
    check(name, value) {
      const schema = schemas[name];
      if (!isObject(schema)) throw new Error(`no schema ${name} in the spec`);
      const problems: string[] = [];
      walk(schema, value, name, problems);
      return problems;
    },
  };
}
