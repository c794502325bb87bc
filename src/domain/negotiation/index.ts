/** Negotiation rules: policy, offers, installment schedules, matching payments to promises and plans. Pure. */
export * from './business-days.ts';
export * from './schedule.ts';
export * from './matching.ts';
export * from './policy.ts';
export * from './evaluate.ts';
export * from './plan-options.ts';
