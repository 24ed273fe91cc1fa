/** The admin API for client keys (master key only). Keys are shown once, at creation. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { GatewayError } from '../core/errors.js';
import type { Gateway } from '../gateway.js';
import type { ApiKeyRecord } from '../store/keys-repository.js';
import { requireMaster } from './auth.js';

const createKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  models: z.array(z.string().min(1)).min(1).nullable().optional(),
  expires_at: z.iso.datetime({ offset: true }).nullable().optional(),
  limits: z.unknown().optional(),
});

/** Parses an admin body with zod; the first problem becomes a 400 naming its field. */
function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue?.path.map(String).join('.') || null;
  throw new GatewayError('invalid_request', `Invalid value for '${param ?? 'body'}': ${issue?.message ?? 'invalid'}.`, { param });
}

/** The public view of a key record: never the hash. */
export function encodeKey(record: ApiKeyRecord, now = Date.now()): Record<string, unknown> {
  const expired = record.expiresAt !== null && Date.parse(record.expiresAt) <= now;
  return {
    id: record.id,
    object: 'api_key',
    name: record.name,
    key_prefix: record.keyPrefix,
    models: record.models,
    expires_at: record.expiresAt,
    created_at: record.createdAt,
    revoked_at: record.revokedAt,
    status: record.revokedAt !== null ? 'revoked' : expired ? 'expired' : 'active',
  };
}

export function registerAdminRoutes(app: FastifyInstance, gateway: Gateway): void {
  const notFound = (id: string): GatewayError => new GatewayError('not_found', `No API key with id '${id}'.`, { param: 'id' });

  app.post('/admin/keys', async (request, reply) => {
    requireMaster(request, gateway.auth);
    const input = parseBody(createKeySchema, request.body);
    if (input.limits !== undefined) {
      throw new GatewayError('unsupported', 'Per-key limits are not enforced by this version yet; create the key without "limits".', {
        param: 'limits',
      });
    }
    const { record, key } = await gateway.keys.create({ name: input.name, models: input.models ?? null, expiresAt: input.expires_at ?? null }, 'master');
    gateway.auth.remember(record);
    return reply.code(201).send({ ...encodeKey(record), key });
  });

  app.get('/admin/keys', async (request) => {
    requireMaster(request, gateway.auth);
    return { object: 'list', data: (await gateway.keys.list()).map((r) => encodeKey(r)) };
  });

  app.get('/admin/keys/:id', async (request) => {
    requireMaster(request, gateway.auth);
    const { id } = request.params as { id: string };
    const record = await gateway.keys.get(id);
    if (!record) throw notFound(id);
    return encodeKey(record);
  });

  app.delete('/admin/keys/:id', async (request) => {
    requireMaster(request, gateway.auth);
    const { id } = request.params as { id: string };
    const record = await gateway.keys.revoke(id, 'master');
    if (!record) throw notFound(id);
    gateway.auth.remember(record);
    return encodeKey(record);
  });
}
