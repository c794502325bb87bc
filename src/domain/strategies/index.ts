/** Strategy definitions (plan de cobranza) and the pure choice of the steps due for an account on a date. */
export * from './definition.ts';
export * from './due-steps.ts';
