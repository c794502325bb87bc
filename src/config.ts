/** The one environment schema, parsed once at start. */
import { z } from 'zod';

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  COBRANZA_DATA_DIR: z.string().min(1).default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** Overrides "now" (ISO instant or date) so an operator or a test can move the clock. */
  COBRANZA_NOW: z.string().optional(),
  COBRANZA_COMPANY: z.string().default('default'),
  COBRANZA_COUNTRY: z.string().length(2).default('MX'),
  /** Size of the demo portfolio the quick start loads into an empty database. */
  COBRANZA_DEMO_DEBTORS: z.coerce.number().int().min(1).max(1_000_000).default(2000),
});

export type Config = {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  now: string | undefined;
  company: string;
  country: string;
  demoDebtors: number;
};

/** Parses the environment; throws with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: e.COBRANZA_DATA_DIR,
    port: e.PORT,
    host: e.HOST,
    now: e.COBRANZA_NOW,
    company: e.COBRANZA_COMPANY,
    country: e.COBRANZA_COUNTRY.toUpperCase(),
    demoDebtors: e.COBRANZA_DEMO_DEBTORS,
  };
}
