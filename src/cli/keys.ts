/** `switchyard keys create|list|show|revoke`: client keys in the configured database. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { createKeySchema, normaliseLimits, parseKeyInput } from '../policy/key-input.js';
import { encodeApiKey, keyStatusOf } from '../policy/key-view.js';
import { BUDGET_PERIODS, type KeyLimits } from '../policy/limits/key-limits.js';
import type { ApiKeyRecord } from '../store/keys-repository.js';
import { withAdminContext } from './admin-context.js';
import { formatTable } from './table.js';

interface Output {
  out: (text: string) => void;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

interface CreateOptions {
  name: string;
  models?: string;
  rpm?: number;
  rpd?: number;
  tpm?: number;
  tpd?: number;
  concurrency?: number;
  budgetUsd?: number;
  budgetPeriod?: KeyLimits['budget_period'];
  expires?: string;
  config?: string;
  json?: boolean;
}

/** One line describing a key's limits (`rpm=10 budget=$5/monthly`), or `-`. */
export function describeLimits(limits: KeyLimits | null): string {
  if (!limits) return '-';
  const parts: string[] = [];
  for (const field of ['rpm', 'rpd', 'tpm', 'tpd', 'concurrency'] as const) if (limits[field] !== undefined) parts.push(`${field}=${limits[field]}`);
  if (limits.budget_usd !== undefined) parts.push(`budget=$${limits.budget_usd}/${limits.budget_period ?? 'monthly'}`);
  return parts.join(' ') || '-';
}

function limitsFrom(options: CreateOptions): KeyLimits | null {
  return normaliseLimits({
    rpm: options.rpm, rpd: options.rpd, tpm: options.tpm, tpd: options.tpd, concurrency: options.concurrency,
    budget_usd: options.budgetUsd, budget_period: options.budgetUsd === undefined ? undefined : options.budgetPeriod,
  });
}

function keyRows(records: readonly ApiKeyRecord[], now: number): string[][] {
  return records.map((r) => [r.id, r.name, `${r.keyPrefix}…`, keyStatusOf(r, now), r.models?.join(',') ?? '*', describeLimits(r.limits), r.expiresAt ?? '-']);
}

export function buildKeysCommand(env: NodeJS.ProcessEnv, output: Output): Command {
  const keys = new Command('keys').description('manage client API keys (in the database of the config)');
  const configOption = (): Option => new Option('-c, --config <file>', 'config file (YAML or JSON)');

  keys.command('create')
    .description('create a key; prints it once')
    .requiredOption('--name <name>', 'a label for the key')
    .option('--models <list>', 'allowed models, comma-separated (wildcards: claude-*, ollama/*)')
    .option('--rpm <n>', 'requests per minute', positiveInteger)
    .option('--rpd <n>', 'requests per day', positiveInteger)
    .option('--tpm <n>', 'tokens per minute', positiveInteger)
    .option('--tpd <n>', 'tokens per day', positiveInteger)
    .option('--concurrency <n>', 'requests in flight at once', positiveInteger)
    .option('--budget-usd <x>', 'USD budget per period', positiveNumber)
    .addOption(new Option('--budget-period <period>', 'when the budget resets').choices(BUDGET_PERIODS).default('monthly'))
    .option('--expires <iso>', 'expiry time (ISO 8601, e.g. 2027-01-01T00:00:00Z)')
    .addOption(configOption())
    .option('--json', 'print the created key as JSON')
    .action(async (options: CreateOptions) => {
      const input = parseKeyInput(createKeySchema, {
        name: options.name,
        models: options.models === undefined ? undefined : options.models.split(',').map((m) => m.trim()).filter((m) => m !== ''),
        expires_at: options.expires,
        limits: limitsFrom(options),
      });
      await withAdminContext({ configPath: options.config, env }, async (context) => {
        const { record, key } = await context.keys.create({
          name: input.name, models: input.models ?? null, expiresAt: input.expires_at ?? null, limits: input.limits ?? null,
        }, 'cli');
        await context.announce(record);
        if (options.json) return output.out(`${JSON.stringify({ ...encodeApiKey(record), key }, null, 2)}\n`);
        output.out(`Created ${record.id} (${record.name}), limits: ${describeLimits(record.limits)}\n${key}\nStore this key now: it is shown only once.\n`);
      });
    });

  keys.command('list')
    .description('list keys (never the secrets)')
    .addOption(configOption())
    .option('--json', 'print JSON')
    .action(async (options: { config?: string; json?: boolean }) => {
      await withAdminContext({ configPath: options.config, env }, async (context) => {
        const records = await context.keys.list();
        if (options.json) return output.out(`${JSON.stringify(records.map((r) => encodeApiKey(r)), null, 2)}\n`);
        output.out(formatTable(['ID', 'NAME', 'PREFIX', 'STATUS', 'MODELS', 'LIMITS', 'EXPIRES'], keyRows(records, Date.now())));
      });
    });

  keys.command('show')
    .description('show one key')
    .argument('<id>', 'key id (key_…)')
    .addOption(configOption())
    .action(async (id: string, options: { config?: string }) => {
      await withAdminContext({ configPath: options.config, env }, async (context) => {
        const record = await context.keys.get(id);
        if (!record) throw new Error(`No API key with id '${id}'.`);
        output.out(`${JSON.stringify(encodeApiKey(record), null, 2)}\n`);
      });
    });

  keys.command('revoke')
    .description('revoke a key: refused on the next request by every running gateway')
    .argument('<id>', 'key id (key_…)')
    .addOption(configOption())
    .action(async (id: string, options: { config?: string }) => {
      await withAdminContext({ configPath: options.config, env }, async (context) => {
        const record = await context.keys.revoke(id, 'cli');
        if (!record) throw new Error(`No API key with id '${id}'.`);
        await context.announce(record);
        output.out(`Revoked ${record.id} (${record.name}) at ${record.revokedAt ?? ''}\n`);
      });
    });

  return keys;
}
