import { parseStrategyDefinition, StrategyDefinitionError, type StrategyDefinition } from '../../domain/strategies/index.ts';
import { AppError } from '../shared/errors.ts';

/** Turns the domain's validation error into the product's, keeping every path. */
export function toAppError(error: StrategyDefinitionError): AppError {
  return new AppError(
    'validation_failed',
    error.issues.length === 1 ? `the strategy is not valid: ${error.issues[0]!.path ? `${error.issues[0]!.path}: ` : ''}${error.issues[0]!.message}` : `the strategy is not valid (${error.issues.length} problems)`,
    error.issues.map((i) => ({ path: i.path || '(file)', reason: i.message })),
  );
}

const cache = new Map<string, StrategyDefinition>();

/**
 * A stored version's definition. Versions are immutable, so the parse is cached — by version id and content: one
 * process may hold several databases (tests, tools) whose version ids overlap.
 */
export function definitionOfVersion(versionId: number, stored: unknown): StrategyDefinition {
  const key = `${versionId}:${JSON.stringify(stored)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let definition: StrategyDefinition;
  try {
    definition = parseStrategyDefinition(stored);
  } catch (error) {
    if (error instanceof StrategyDefinitionError) throw new Error(`stored strategy version ${versionId} no longer validates: ${error.message}`, { cause: error });
    throw error;
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, definition);
  return definition;
}
