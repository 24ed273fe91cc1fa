import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../test/unit/support/errors.js';
import type { ApiKeyRecord } from '../store/keys-repository.js';
import type { Principal } from './authenticate.js';
import { assertModelAllowed, isModelAllowed } from './model-access.js';

function keyWith(models: string[] | null): Principal {
  const key: ApiKeyRecord = {
    id: 'key_1', name: 'k', keyHash: 'h', keyPrefix: 'sk-sy-', models, expiresAt: null, createdAt: '', revokedAt: null,
    limits: null, enabled: true, updatedAt: '',
  };
  return { kind: 'key', key };
}

describe('isModelAllowed', () => {
  it.each<[string[] | null, string, boolean]>([
    [null, 'anything/at-all', true],
    [[], 'gpt-4o', false],
    [['gpt-4o'], 'gpt-4o', true],
    [['gpt-4o'], 'gpt-4o-mini', false],
    [['gpt-4o'], 'openai/gpt-4o', false],
    [['claude-*'], 'claude-3-5-sonnet', true],
    [['claude-*'], 'claude-', true],
    [['claude-*'], 'my-claude-3', false],
    [['ollama/*'], 'ollama/llama3.2', true],
    [['ollama/*'], 'ollama/library/qwen:7b', true],
    [['ollama/*'], 'ollama', false],
    [['*-mini'], 'gpt-4o-mini', true],
    [['*-mini'], 'gpt-4o-mini-2024', false],
    [['openai/*-mini'], 'openai/gpt-4o-mini', true],
    [['*'], 'x', true],
    [['gpt-4.1'], 'gpt-4x1', false],
    [['gpt-4.1*'], 'gpt-4.1-nano', true],
    [['a+b(c)'], 'a+b(c)', true],
    [['a+b(c)'], 'aab(c)', false],
    [['chat', 'demo/*'], 'demo/chat', true],
    [['chat', 'demo/*'], 'embed', false],
  ])('%j allows %s: %s', (models, model, allowed) => {
    expect(isModelAllowed(keyWith(models), model)).toBe(allowed);
  });

  it('the master key may use every model', () => {
    expect(isModelAllowed({ kind: 'master' }, 'whatever')).toBe(true);
  });
});

describe('assertModelAllowed', () => {
  it('throws 403 naming the model param', () => {
    const error = captureGatewayError(() => assertModelAllowed(keyWith(['demo/*']), 'openai/gpt-4o'));
    expect([error.code, error.status, error.param]).toEqual(['permission_denied', 403, 'model']);
    expect(error.message).toContain('openai/gpt-4o');
  });

  it('passes silently when allowed', () => {
    expect(assertModelAllowed(keyWith(['demo/*']), 'demo/chat')).toBeUndefined();
  });
});
