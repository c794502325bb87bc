/** The company's negotiation policy: read it, replace it (validated, audited), and the policy in force for a debtor. */
import { eq } from 'drizzle-orm';
import { stringify } from 'yaml';
import { negotiationPolicies } from '../../db/tables/negotiation.ts';
import { DEFAULT_POLICY_FILE, effectivePolicy, parsePolicySource, PolicyError, validatePolicyFile, type NegotiationPolicy, type PolicyFile, type PolicyScope } from '../../domain/negotiation/index.ts';
import { recordAudit } from '../access/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { loadAccountFacts } from './account-facts.ts';
import { transaction } from './shared.ts';

export interface PolicyView {
  /** The stored document (snake_case), or the default when the company has none. */
  document: PolicyFile;
  /** The file as written (YAML or JSON); for the default, its YAML. */
  source: string;
  version: number;
  isDefault: boolean;
  updatedBy: string | null;
  updatedAt: Date | null;
}

/** The company's policy document (the shipped default when none was set). */
export async function getPolicy(ctx: Ctx): Promise<PolicyView> {
  const [row] = await ctx.database.db.select().from(negotiationPolicies).where(eq(negotiationPolicies.companyId, ctx.companyId));
  if (!row) return { document: DEFAULT_POLICY_FILE, source: stringify(DEFAULT_POLICY_FILE), version: 0, isDefault: true, updatedBy: null, updatedAt: null };
  const document = validatePolicyFile(row.document);
  return { document, source: row.source ?? stringify(document), version: row.version, isDefault: false, updatedBy: row.updatedBy, updatedAt: row.updatedAt };
}

function policyError(error: unknown): never {
  if (error instanceof PolicyError) throw new AppError('validation_failed', error.text, error.issues.map((i) => ({ path: i.path || 'policy', reason: i.message })));
  throw error;
}

/** Replaces the company's policy with a YAML/JSON file's text or an already parsed document. Audited. */
export async function setPolicy(ctx: Ctx, input: { source: string } | { document: unknown }): Promise<PolicyView> {
  let document: PolicyFile;
  try {
    document = 'source' in input ? parsePolicySource(input.source) : validatePolicyFile(input.document);
  } catch (error) {
    policyError(error);
  }
  const source = 'source' in input ? input.source : stringify(document);
  const before = await getPolicy(ctx);
  await transaction(ctx, async (tx) => {
    const now = ctx.clock.now();
    await tx
      .insert(negotiationPolicies)
      .values({ companyId: ctx.companyId, document: document as Record<string, unknown>, source, version: 1, updatedBy: ctx.actor, updatedAt: now })
      .onConflictDoUpdate({ target: negotiationPolicies.companyId, set: { document: document as Record<string, unknown>, source, version: before.version + 1, updatedBy: ctx.actor, updatedAt: now } });
    await recordAudit(ctx, { action: 'negotiation_policy.set', entity: 'negotiation_policy', entityId: ctx.companyId, before: before.isDefault ? null : before.document, after: document }, tx);
  });
  return getPolicy(ctx);
}

/** The policy for an explicit scope (portfolio, segments, phase). */
export async function policyForScope(ctx: Ctx, scope: PolicyScope): Promise<NegotiationPolicy> {
  const { document, isDefault } = await getPolicy(ctx);
  return effectivePolicy(isDefault ? null : document, scope);
}

/**
 * The policy in force for a debtor: the company's document with the overrides matching the debtor's account (the
 * portfolio, segments and phase of the account holding its oldest open obligation in `currency`, or in any currency).
 */
export async function getEffectivePolicy(ctx: Ctx, options: { debtorId: number; currency?: string | undefined }): Promise<{ policy: NegotiationPolicy; scope: PolicyScope }> {
  const facts = await loadAccountFacts(ctx, { debtorId: options.debtorId, currency: options.currency });
  return { policy: await policyForScope(ctx, facts.scope), scope: facts.scope };
}
