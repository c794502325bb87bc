import type { Database } from '../../db/connection.ts';
import type { Clock } from './clock.ts';

/**
 * Who a request acts as. `system` is the operator's own command line and background jobs (full access); users and
 * API keys carry the role the permission table judges. `agencyId` is set for agency users only.
 */
export interface Principal {
  kind: 'user' | 'api_key' | 'system';
  /** The user's or key's id; null for the system. */
  id: number | null;
  role: 'admin' | 'supervisor' | 'collector' | 'agency' | 'auditor' | 'viewer';
  agencyId: number | null;
}

/** What every use case receives: the database, the clock and the tenant it acts for. */
export interface Ctx {
  database: Database;
  clock: Clock;
  companyId: number;
  /** Who acts, for history and audit ("cli", "api-key:ops", a user's email). */
  actor: string;
  /** Absent means the system (CLI, jobs): nothing is scoped beyond the company. */
  principal?: Principal;
}
