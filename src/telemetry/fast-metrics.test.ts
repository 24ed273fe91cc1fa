import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FastCounter, FastHistogram } from './fast-metrics.js';

describe('fast metrics through a prom-client Registry', () => {
  it('renders counters per label set in the Prometheus text format', async () => {
    const registry = new Registry();
    const counter = new FastCounter({ name: 'x_requests_total', help: 'Requests.', labelNames: ['route', 'status'] }, registry);
    counter.inc(1, '/a', '200');
    counter.inc(2, '/a', '200');
    counter.inc(1, '/b', '500');
    expect(await registry.metrics()).toBe([
      '# HELP x_requests_total Requests.',
      '# TYPE x_requests_total counter',
      'x_requests_total{route="/a",status="200"} 3',
      'x_requests_total{route="/b",status="500"} 1',
      '',
    ].join('\n'));
  });

  it('renders cumulative histogram buckets, +Inf, sum and count', async () => {
    const registry = new Registry();
    const histogram = new FastHistogram({ name: 'x_seconds', help: 'Durations.', labelNames: ['op'], buckets: [0.1, 1] }, registry);
    histogram.observe(0.05, 'chat');
    histogram.observe(0.5, 'chat');
    histogram.observe(3, 'chat');
    expect(await registry.metrics()).toBe([
      '# HELP x_seconds Durations.',
      '# TYPE x_seconds histogram',
      'x_seconds_bucket{op="chat",le="0.1"} 1',
      'x_seconds_bucket{op="chat",le="1"} 2',
      'x_seconds_bucket{op="chat",le="+Inf"} 3',
      'x_seconds_sum{op="chat"} 3.55',
      'x_seconds_count{op="chat"} 3',
      '',
    ].join('\n'));
  });

  it('escapes label values (they may be model names)', async () => {
    const registry = new Registry();
    new FastCounter({ name: 'x_total', help: 'h', labelNames: ['model'] }, registry).inc(1, 'a"b\\c');
    expect(await registry.metrics()).toContain('x_total{model="a\\"b\\\\c"} 1');
  });
});
