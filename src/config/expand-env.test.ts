import { describe, expect, it } from 'vitest';
import { expandEnv } from './expand-env.js';

const env = { KEY: 'sk-123', EMPTY: '', HOST: 'example.com', PORT: '8080', NESTED: '${KEY}' };

describe('expandEnv', () => {
  it.each<[string, unknown, unknown]>([
    ['a whole value', '${KEY}', 'sk-123'],
    ['inside a string', 'https://${HOST}:${PORT}/v1', 'https://example.com:8080/v1'],
    ['a default for an unset variable', '${UNSET:-fallback}', 'fallback'],
    ['an empty default', 'x${UNSET:-}y', 'xy'],
    ['the value when set, not the default', '${HOST:-other}', 'example.com'],
    ['the default when the variable is empty', '${EMPTY:-d}', 'd'],
    ['a default containing colons and slashes', '${UNSET:-http://127.0.0.1:11434}', 'http://127.0.0.1:11434'],
    ['no recursive expansion', '${NESTED}', '${KEY}'],
    ['$VAR without braces left alone', '$KEY and $' + '{ not closed', '$KEY and ${ not closed'],
    ['numbers and booleans untouched', { a: 1, b: true, c: null }, { a: 1, b: true, c: null }],
  ])('expands %s', (_name, input, expected) => {
    const { value, missing } = expandEnv(input, env);
    expect(value).toEqual(expected);
    expect(missing).toEqual([]);
  });

  it('reports each unset variable with its path, including array indexes', () => {
    const document = {
      providers: { openai: { api_key: '${OPENAI_API_KEY}', headers: { 'x-a': '${A} and ${B:-b}' } } },
      list: ['ok', { deep: '${DEEP}' }],
      empty: '${EMPTY}',
    };
    const { value, missing } = expandEnv(document, env);
    expect(missing).toEqual([
      { path: 'providers.openai.api_key', variable: 'OPENAI_API_KEY' },
      { path: 'providers.openai.headers.x-a', variable: 'A' },
      { path: 'list.1.deep', variable: 'DEEP' },
      { path: 'empty', variable: 'EMPTY' },
    ]);
    expect(value).toEqual({ providers: { openai: { api_key: '', headers: { 'x-a': ' and b' } } }, list: ['ok', { deep: '' }], empty: '' });
  });

  it('does not modify its input', () => {
    const document = { a: '${KEY}' };
    expandEnv(document, env);
    expect(document).toEqual({ a: '${KEY}' });
  });
});
