/**
 * Secret redaction for anything that may reach a log or a client: known secrets (provider keys,
 * the master key) are replaced exactly, and key-shaped tokens are masked by pattern.
 */

const KEY_PATTERNS = /\b(sk-[A-Za-z0-9_-]{6})[A-Za-z0-9_-]{6,}|(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}|\b(AIza)[A-Za-z0-9_-]{20,}/g;

export type Redactor = (text: string) => string;

/** Builds a redactor for the given secrets (short ones are ignored: they would mask ordinary words). */
export function createRedactor(secrets: ReadonlyArray<string | undefined>): Redactor {
  const known = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 8))]
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of known) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
    return out.replace(KEY_PATTERNS, (_match, sk?: string, bearer?: string, google?: string) =>
      `${sk ?? bearer ?? google ?? ''}[redacted]`);
  };
}
