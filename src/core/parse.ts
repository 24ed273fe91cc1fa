/**
 * Small readers for untrusted JSON. Each checks one field's type and throws a 400
 * `invalid_request` naming the parameter's path (`messages[2].content`) when it is wrong.
 */
import { GatewayError } from './errors.js';

export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws the standard "wrong type" error for `param`. */
export function invalidParam(param: string, expected: string, value?: unknown): never {
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  const suffix = value === undefined ? '' : `, got ${got}`;
  throw new GatewayError('invalid_request', `Invalid type for '${param}': expected ${expected}${suffix}.`, { param });
}

export function requireRecord(value: unknown, param: string): JsonObject {
  if (!isRecord(value)) invalidParam(param, 'an object', value);
  return value;
}

export function requireArray(value: unknown, param: string): unknown[] {
  if (!Array.isArray(value)) invalidParam(param, 'an array', value);
  return value;
}

export function requireString(value: unknown, param: string): string {
  if (typeof value !== 'string') invalidParam(param, 'a string', value);
  return value;
}

export function optionalString(value: unknown, param: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  return requireString(value, param);
}

export function optionalNumber(value: unknown, param: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) invalidParam(param, 'a number', value);
  return value;
}

export function optionalInteger(value: unknown, param: string, min = 0): number | undefined {
  const n = optionalNumber(value, param);
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < min) invalidParam(param, `an integer >= ${min}`, value);
  return n;
}

export function optionalBoolean(value: unknown, param: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') invalidParam(param, 'a boolean', value);
  return value;
}

/** Copies the entries of `source` whose keys are not in `known`; undefined when there are none. */
export function pickUnknown(source: JsonObject, known: ReadonlySet<string>): JsonObject | undefined {
  let extra: JsonObject | undefined;
  for (const key in source) {
    if (known.has(key)) continue;
    (extra ??= {})[key] = source[key];
  }
  return extra;
}

/** Parses one upstream stream frame (an SSE `data:` or an NDJSON line); a bad one is an upstream error. */
export function parseStreamFrame(data: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    throw new GatewayError('upstream_error', 'Upstream sent a malformed stream chunk.');
  }
  if (!isRecord(value)) throw new GatewayError('upstream_error', 'Upstream sent a malformed stream chunk.');
  return value;
}

/** Sets `body[key]` only when `value` is defined (wire bodies leave unset fields out). */
export function setIfDefined(body: JsonObject, key: string, value: unknown): void {
  if (value !== undefined) body[key] = value;
}
