import { describe, expect, it } from 'vitest';
import { createRedactor } from './redact.js';

describe('createRedactor: known secrets', () => {
  const redact = createRedactor(['hunter2-long-secret', 'abcdefgh', 'abcdefghijkl', undefined, 'short']);

  it.each<[string, string]>([
    ['password hunter2-long-secret here', 'password [redacted] here'],
    ['twice: hunter2-long-secret/hunter2-long-secret', 'twice: [redacted]/[redacted]'],
    ['longest first: abcdefghijkl', 'longest first: [redacted]'],
    ['shorter one: abcdefgh!', 'shorter one: [redacted]!'],
    ['short secrets are ignored: short', 'short secrets are ignored: short'],
    ['nothing secret here', 'nothing secret here'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });
});

describe('createRedactor: key-shaped tokens', () => {
  const redact = createRedactor([]);

  it.each<[string, string]>([
    ['key sk-proj-AbCdEfGhIjKlMnOp was rejected', 'key sk-proj-A[redacted] was rejected'],
    ['sk-ant-api03-xyzXYZ0123456789', 'sk-ant-ap[redacted]'],
    ['Authorization: Bearer eyJhbGciOiJI.UzI1NiJ9', 'Authorization: Bearer [redacted]'],
    ['bearer token: Bearer   abc.def_ghi', 'bearer token: Bearer   [redacted]'],
    ['google AIzaSyA1234567890abcdefghijklmnop', 'google AIza[redacted]'],
    ['https://x/?key=AIzaSyA1234567890abcdefghijk&alt=sse', 'https://x/?key=AIza[redacted]&alt=sse'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it.each([
    'task-management-system works',
    'sk-learn is a library',
    'Bearer short',
    'AIza too short',
    'a plain sentence with no keys',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(redact(text)).toBe(text);
  });

  it('never lets the tail of a key through', () => {
    const key = 'sk-sy-master-0123456789abcdefghijklmnopqrstuvwx';
    const out = redact(`master key ${key} leaked`);
    expect(out).not.toContain('0123456789abcdefghijklmnopqrstuvwx');
    expect(out).toContain('[redacted]');
  });
});
