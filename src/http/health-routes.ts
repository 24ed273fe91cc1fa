/** Liveness and readiness probes (open: they reveal nothing). */
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../gateway.js';

export function registerHealthRoutes(app: FastifyInstance, gateway: Gateway): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const ready = await gateway.store.ping();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'storage unavailable' });
  });
}
