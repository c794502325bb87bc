/** The strategies module's public surface: strategy files and versions, daily planning and simulation. */
export { applyStrategy, type ApplyStrategyResult, type DefinitionCheck } from './apply-strategy.ts';
export { listStrategies, type StrategySummary } from './list-strategies.ts';
export { showStrategy, type StrategyDetail } from './show-strategy.ts';
export { setStrategyStatus } from './set-strategy-status.ts';
export { planDay, type PlanDaySummary, type PlanDayStrategySummary } from './plan-day.ts';
export { idempotencyKey, fallbackKey } from './plan-contacts.ts';
export { simulateStrategy, MAX_SIMULATION_DAYS, type SimulationResult, type StrategySimulation, type SimulatedDay, type SimulatedItem } from './simulate-strategy.ts';
