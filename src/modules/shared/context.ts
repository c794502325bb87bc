import type { Database } from '../../db/connection.ts';
import type { Clock } from './clock.ts';

/** What every use case receives: the database, the clock and the tenant it acts for. */
export interface Ctx {
  database: Database;
  clock: Clock;
  companyId: number;
  /** Who acts, for history and audit ("cli", "api-key:ops", a user's email later). */
  actor: string;
}
