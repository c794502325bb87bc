import { eq } from 'drizzle-orm';
import { templates } from '../../db/schema.ts';
import { DEFAULT_TEMPLATES } from '../../domain/templates/index.ts';
import { isMessageChannel, type StrategyDefinition } from '../../domain/strategies/index.ts';
import { t, type DetailInput } from '../shared/errors.ts';
import type { Ctx } from '../shared/context.ts';

/**
 * Every message step (and message fallback) must name a template that exists for its channel: one of the company's
 * own or one the product ships. Tasks (call_task, agency_referral) carry a script key and are not checked.
 */
export async function checkTemplates(ctx: Ctx, definition: StrategyDefinition): Promise<DetailInput[]> {
  const own = await ctx.database.db.select({ key: templates.key, channel: templates.channel }).from(templates).where(eq(templates.companyId, ctx.companyId));
  const known = new Set([...DEFAULT_TEMPLATES.map((t) => `${t.key}|${t.channel}`), ...own.map((t) => `${t.key}|${t.channel}`)]);
  const problems: DetailInput[] = [];
  definition.rules.forEach((rule, r) =>
    rule.steps.forEach((step, s) => {
      for (const [channel, field] of [[step.channel, 'template'], [step.fallback, 'fallback']] as const) {
        if (!channel || !isMessageChannel(channel)) continue;
        if (!known.has(`${step.template}|${channel}`)) {
          const defaults = [...new Set(DEFAULT_TEMPLATES.filter((d) => d.channel === channel).map((d) => d.key))].join(', ');
          problems.push({
            path: `rules[${r}].steps[${s}].${field}`,
            reason: t(`there is no ${channel} template "${step.template}" (the defaults are ${defaults})`, `no hay una plantilla ${channel} "${step.template}" (las predeterminadas son ${defaults})`),
          });
        }
      }
    }),
  );
  return problems;
}
