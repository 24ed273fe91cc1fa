/** `GET /admin/usage` (totals per model, key, provider or day; JSON or CSV) and `GET /admin/logs`. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Gateway } from '../gateway.js';
import { parseKeyInput } from '../policy/key-input.js';
import { encodeUsageCsv, encodeUsageEvent, encodeUsageReport } from '../policy/usage-report.js';
import { USAGE_GROUPS } from '../store/usage-repository.js';
import { requireMaster } from './auth.js';

/** A date (`2026-08-01`) or an ISO instant. */
const bound = z.string().refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) || !Number.isNaN(Date.parse(value)), 'expected a date (YYYY-MM-DD) or an ISO 8601 time');

const usageQuery = z.object({
  key: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  provider: z.string().min(1).optional(),
  from: bound.optional(),
  to: bound.optional(),
  by: z.enum(USAGE_GROUPS).default('model'),
  format: z.enum(['json', 'csv']).default('json'),
});

const logsQuery = z.object({
  key: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  status: z.coerce.number().int().min(100).max(599).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(50),
});

export function registerAdminUsageRoutes(app: FastifyInstance, gateway: Gateway): void {
  app.get('/admin/usage', async (request, reply) => {
    requireMaster(request, gateway.auth);
    const query = parseKeyInput(usageQuery, request.query);
    // This instance's latest requests are included; other instances' arrive within `usage.flush_ms`.
    await gateway.accounting.recorder.flush();
    const report = await gateway.accounting.usage.report({
      keyId: query.key, model: query.model, provider: query.provider, from: query.from, to: query.to,
    }, query.by);
    if (query.format === 'csv') return reply.type('text/csv; charset=utf-8').send(encodeUsageCsv(report));
    return { object: 'usage', by: query.by, ...encodeUsageReport(report) };
  });

  app.get('/admin/logs', async (request) => {
    requireMaster(request, gateway.auth);
    const query = parseKeyInput(logsQuery, request.query);
    await gateway.accounting.recorder.flush();
    const events = await gateway.accounting.usage.recent({ keyId: query.key, model: query.model, status: query.status, limit: query.limit });
    const withPrompt = gateway.config.server.log_prompts;
    return { object: 'list', data: events.map((event) => encodeUsageEvent(event, withPrompt)) };
  });
}
