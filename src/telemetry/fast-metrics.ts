/**
 * Counters and histograms for the request path, cheaper than prom-client's own: a label set is
 * resolved through nested Maps of the label values (no string hashing, nothing allocated once a
 * label set has been seen) to a cell that is updated in place. They are exposed through a
 * prom-client Registry as ordinary metrics (`registerMetric`): prom-client still writes the
 * exposition text; only the per-request update is ours.
 */
import type { Metric, Registry } from 'prom-client';

type Labels = Record<string, string | number>;
interface MetricValue {
  value: number;
  labels: Labels;
  metricName?: string;
}

/** Cells by label values, one Map level per label. */
class CellTable<C> {
  private readonly root = new Map<string, unknown>();
  private readonly cells: Array<{ values: string[]; cell: C }> = [];

  constructor(private readonly depth: number, private readonly create: () => C) {}

  /** The cell for these label values (exactly `depth` of them), created on first use. */
  at(a: string, b = '', c = '', d = '', e = ''): C {
    let node: Map<string, unknown> = this.root;
    for (let i = 0; i < this.depth - 1; i++) {
      const key = i === 0 ? a : i === 1 ? b : i === 2 ? c : d;
      let next = node.get(key) as Map<string, unknown> | undefined;
      if (!next) node.set(key, (next = new Map<string, unknown>()));
      node = next;
    }
    const last = this.depth === 1 ? a : this.depth === 2 ? b : this.depth === 3 ? c : this.depth === 4 ? d : e;
    let cell = node.get(last) as C | undefined;
    if (cell === undefined) {
      cell = this.create();
      node.set(last, cell);
      this.cells.push({ values: [a, b, c, d, e].slice(0, this.depth), cell });
    }
    return cell;
  }

  entries(): ReadonlyArray<{ values: string[]; cell: C }> {
    return this.cells;
  }
}

interface Definition {
  name: string;
  help: string;
  labelNames: readonly string[];
}

/** A monotonically increasing count per label set. */
export class FastCounter {
  private readonly table: CellTable<{ value: number }>;

  constructor(private readonly definition: Definition, registry: Registry) {
    this.table = new CellTable(definition.labelNames.length, () => ({ value: 0 }));
    register(registry, definition, 'counter', () => this.table.entries().map(({ values, cell }) => ({
      value: cell.value, labels: labelsOf(this.definition.labelNames, values),
    })));
  }

  /** Adds `amount` (default 1) to the label set given by its values, in `labelNames` order. */
  inc(amount: number, a: string, b?: string, c?: string, d?: string): void {
    this.table.at(a, b, c, d).value += amount;
  }
}

interface HistogramCell {
  buckets: Float64Array;
  sum: number;
  count: number;
}

/** A distribution per label set over fixed upper bounds (`le`). */
export class FastHistogram {
  private readonly table: CellTable<HistogramCell>;

  constructor(private readonly definition: Definition & { buckets: readonly number[] }, registry: Registry) {
    const size = definition.buckets.length;
    this.table = new CellTable(definition.labelNames.length, () => ({ buckets: new Float64Array(size), sum: 0, count: 0 }));
    register(registry, definition, 'histogram', () => this.values());
  }

  observe(value: number, a: string, b?: string, c?: string, d?: string, e?: string): void {
    const cell = this.table.at(a, b, c, d, e);
    const bounds = this.definition.buckets;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] ?? Number.POSITIVE_INFINITY)) {
        cell.buckets[i] = (cell.buckets[i] ?? 0) + 1;
        break;
      }
    }
    cell.sum += value;
    cell.count += 1;
  }

  private values(): MetricValue[] {
    const { name, labelNames, buckets } = this.definition;
    const out: MetricValue[] = [];
    for (const { values, cell } of this.table.entries()) {
      const labels = labelsOf(labelNames, values);
      let cumulative = 0;
      buckets.forEach((bound, i) => {
        cumulative += cell.buckets[i] ?? 0;
        out.push({ metricName: `${name}_bucket`, labels: { ...labels, le: bound }, value: cumulative });
      });
      out.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: cell.count });
      out.push({ metricName: `${name}_sum`, labels, value: cell.sum });
      out.push({ metricName: `${name}_count`, labels, value: cell.count });
    }
    return out;
  }
}

function labelsOf(names: readonly string[], values: readonly string[]): Labels {
  const labels: Labels = {};
  names.forEach((name, i) => {
    labels[name] = values[i] ?? '';
  });
  return labels;
}

/**
 * Registers a metric object with the registry. prom-client reads `name`, `help`, `type` and
 * `get()` (the shape its own metric classes have); the cast is the one place its class type
 * is bridged.
 */
function register(registry: Registry, definition: Definition, type: 'counter' | 'histogram', values: () => MetricValue[]): void {
  const metric = {
    name: definition.name,
    help: definition.help,
    type,
    aggregator: 'sum',
    get: () => Promise.resolve({ name: definition.name, help: definition.help, type, aggregator: 'sum', values: values() }),
    reset: () => undefined,
  };
  registry.registerMetric(metric as unknown as Metric<string>);
}
