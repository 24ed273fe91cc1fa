/** `switchyard usage`: totals per model, key, provider or day from the usage log. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { encodeUsageCsv, encodeUsageReport, roundUsd } from '../policy/usage-report.js';
import { USAGE_GROUPS, type UsageGroup } from '../store/usage-repository.js';
import { withAdminContext } from './admin-context.js';
import { formatTable } from './table.js';

const RELATIVE = /^(\d+)\s*(m|h|d|w)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `2026-08-01`, an ISO time, or a span back from now (`30m`, `24h`, `7d`, `2w`). */
export function parseSince(value: string, now = Date.now()): string {
  const relative = RELATIVE.exec(value.trim());
  if (relative) return new Date(now - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]).toISOString();
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('expected a date (2026-08-01), an ISO time, or a span like 24h or 7d');
  return new Date(value).toISOString();
}

interface UsageOptions {
  key?: string;
  model?: string;
  provider?: string;
  since?: string;
  until?: string;
  by: UsageGroup;
  csv?: boolean;
  json?: boolean;
  config?: string;
}

export function buildUsageCommand(env: NodeJS.ProcessEnv, output: { out: (text: string) => void }): Command {
  return new Command('usage')
    .description('usage and cost totals from the usage log')
    .option('--key <id>', 'only this key')
    .option('--model <name>', 'only this public model name')
    .option('--provider <id>', 'only this provider')
    .option('--since <when>', 'from a date, an ISO time, or a span back from now (24h, 7d)', (v) => parseSince(v))
    .option('--until <when>', 'up to a date (inclusive) or an ISO time (exclusive)', (v) => parseSince(v))
    .addOption(new Option('--by <group>', 'group rows by').choices(USAGE_GROUPS).default('model'))
    .option('--csv', 'print CSV')
    .option('--json', 'print JSON (as GET /admin/usage)')
    .option('-c, --config <file>', 'config file (YAML or JSON)')
    .action(async (options: UsageOptions) => {
      await withAdminContext({ configPath: options.config, env }, async (context) => {
        const report = await context.usage.report({
          keyId: options.key, model: options.model, provider: options.provider, from: options.since, to: options.until,
        }, options.by);
        if (options.csv) return output.out(encodeUsageCsv(report));
        if (options.json) return output.out(`${JSON.stringify({ object: 'usage', by: options.by, ...encodeUsageReport(report) }, null, 2)}\n`);
        const rows = [...report.data.map((row) => ({ ...row })), { group: 'total', ...report.totals }].map((row) => [
          row.group, String(row.requests), String(row.prompt_tokens), String(row.completion_tokens), String(row.cached_tokens),
          String(row.reasoning_tokens), String(row.total_tokens), `$${roundUsd(row.cost_usd).toFixed(6)}`,
        ]);
        output.out(formatTable([options.by.toUpperCase(), 'REQUESTS', 'PROMPT', 'COMPLETION', 'CACHED', 'REASONING', 'TOTAL', 'COST'], rows));
      });
    });
}
