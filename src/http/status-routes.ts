/**
 * `GET /status` (JSON health of the service, providers and model groups) and `GET /metrics`
 * (Prometheus text). Open by default — they hold no keys and no prompt text;
 * `server.protect_status: true` puts both behind the master key (CONTRACT.md).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Gateway } from '../gateway.js';
import { buildStatusReport } from '../telemetry/status-report.js';
import { requireMaster } from './auth.js';

export function registerStatusRoutes(app: FastifyInstance, gateway: Gateway): void {
  const groups = new Map(Object.entries(gateway.config.models).map(([name, group]) => [
    name,
    { strategy: group.strategy, targets: group.targets.map((t) => `${t.provider}/${t.model}`) },
  ]));
  const providers = Object.keys(gateway.config.providers);
  const guard = (request: FastifyRequest): void => {
    if (gateway.config.server.protect_status) requireMaster(request, gateway.auth);
  };

  app.get('/status', async (request, reply) => {
    guard(request);
    const report = buildStatusReport({ monitor: gateway.monitor, providers, groups, startedAt: gateway.startedAt });
    return reply.header('cache-control', 'no-store').send(report);
  });

  app.get('/metrics', async (request, reply) => {
    guard(request);
    const { contentType, body } = await gateway.metrics.render();
    return reply.header('cache-control', 'no-store').type(contentType).send(body);
  });
}
