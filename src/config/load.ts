/**
 * Reads a config file (YAML or JSON), expands `${VAR}`, validates it and returns the frozen
 * config. Every problem is reported at once, each with its path in the file.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { configSchema, type Config } from './schema.js';
import { expandEnv } from './expand-env.js';

/** A config the user must fix; `problems` are `path: message` lines. Not a crash: no stack trace. */
export class ConfigError extends Error {
  constructor(readonly source: string, readonly problems: string[]) {
    super(`Invalid configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Loads and validates the config file at `path`. Throws ConfigError. */
export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'cannot be read';
    throw new ConfigError(path, [`${path}: ${reason}`]);
  }
  return parseConfigText(text, path, env);
}

/** Parses config text (YAML is a superset of JSON, so one parser reads both). */
export function parseConfigText(text: string, source: string, env: NodeJS.ProcessEnv = process.env): Config {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(source, document.errors.map((e) => `line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`));
  }
  return validateConfig(document.toJS() ?? {}, source, env);
}

/** Expands variables and validates a parsed document. Throws ConfigError listing every problem. */
export function validateConfig(document: unknown, source: string, env: NodeJS.ProcessEnv = process.env): Config {
  const { value, missing } = expandEnv(document, env);
  const result = configSchema.safeParse(value);
  const problems = missing.map((m) => `${m.path}: environment variable ${m.variable} is not set (use \${${m.variable}:-default} for a default)`);
  const missingPaths = new Set(missing.map((m) => m.path));
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map(String).join('.') || '(root)';
      // The unset variable already explains why this value is wrong.
      if (!missingPaths.has(path)) problems.push(`${path}: ${issue.message}`);
    }
  }
  if (!result.success || problems.length > 0) throw new ConfigError(source, problems);
  return deepFreeze(result.data);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
