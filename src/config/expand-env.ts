/**
 * `${VAR}` and `${VAR:-default}` expansion in config values, applied to every string in the
 * parsed document (never to the raw text, so a value cannot inject YAML structure).
 */

const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface ExpandResult {
  value: unknown;
  /** Paths whose `${VAR}` had no value and no default (reported as config problems). */
  missing: Array<{ path: string; variable: string }>;
}

/** Expands variables in all strings of `document`, returning the new document and what was unset. */
export function expandEnv(document: unknown, env: NodeJS.ProcessEnv): ExpandResult {
  const missing: ExpandResult['missing'] = [];
  const walk = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') {
      return value.replace(PATTERN, (_match, name: string, fallback: string | undefined) => {
        const found = env[name];
        if (found !== undefined && found !== '') return found;
        if (fallback !== undefined) return fallback;
        missing.push({ path, variable: name });
        return '';
      });
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, `${path}.${i}`));
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = walk(item, path === '' ? key : `${path}.${key}`);
      return out;
    }
    return value;
  };
  return { value: walk(document, ''), missing };
}
