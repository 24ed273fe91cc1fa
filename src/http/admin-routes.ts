/** The admin API for client keys (master key only). Keys are shown once, at creation. */
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../core/errors.js';
import type { Gateway } from '../gateway.js';
import { createKeySchema, normaliseLimits, parseKeyInput, updateKeySchema } from '../policy/key-input.js';
import { encodeApiKey } from '../policy/key-view.js';
import { mergeKeyLimits } from '../policy/limits/key-limits.js';
import type { ApiKeyUpdate } from '../store/keys-repository.js';
import { registerAdminUsageRoutes } from './admin-usage-routes.js';
import { requireMaster } from './auth.js';

export function registerAdminRoutes(app: FastifyInstance, gateway: Gateway): void {
  const notFound = (id: string): GatewayError => new GatewayError('not_found', `No API key with id '${id}'.`, { param: 'id' });
  const now = (): number => gateway.accounting.now();

  app.post('/admin/keys', async (request, reply) => {
    requireMaster(request, gateway.auth);
    const input = parseKeyInput(createKeySchema, request.body);
    const { record, key } = await gateway.keys.create({
      name: input.name, models: input.models ?? null, expiresAt: input.expires_at ?? null, limits: normaliseLimits(input.limits),
      enabled: input.enabled ?? true,
    }, 'master');
    await gateway.accounting.keySync.apply(record);
    return reply.code(201).send({ ...encodeApiKey(record, now()), key });
  });

  app.get('/admin/keys', async (request) => {
    requireMaster(request, gateway.auth);
    return { object: 'list', data: (await gateway.keys.list()).map((r) => encodeApiKey(r, now())) };
  });

  app.get('/admin/keys/:id', async (request) => {
    requireMaster(request, gateway.auth);
    const { id } = request.params as { id: string };
    const record = await gateway.keys.get(id);
    if (!record) throw notFound(id);
    return encodeApiKey(record, now());
  });

  app.patch('/admin/keys/:id', async (request) => {
    requireMaster(request, gateway.auth);
    const { id } = request.params as { id: string };
    const input = parseKeyInput(updateKeySchema, request.body);
    const current = await gateway.keys.get(id);
    if (!current) throw notFound(id);
    const update: ApiKeyUpdate = {};
    if (input.name !== undefined) update.name = input.name;
    if (input.models !== undefined) update.models = input.models;
    if (input.expires_at !== undefined) update.expiresAt = input.expires_at;
    if (input.enabled !== undefined) update.enabled = input.enabled;
    // `limits` is a JSON merge patch: a field set to null is removed, `limits: null` removes all.
    if (input.limits !== undefined) update.limits = normaliseLimits(mergeKeyLimits(current.limits, input.limits));
    const record = await gateway.keys.update(id, update, 'master');
    if (!record) throw notFound(id);
    await gateway.accounting.keySync.apply(record);
    return encodeApiKey(record, now());
  });

  app.delete('/admin/keys/:id', async (request) => {
    requireMaster(request, gateway.auth);
    const { id } = request.params as { id: string };
    const record = await gateway.keys.revoke(id, 'master');
    if (!record) throw notFound(id);
    await gateway.accounting.keySync.apply(record);
    return encodeApiKey(record, now());
  });

  registerAdminUsageRoutes(app, gateway);
}
