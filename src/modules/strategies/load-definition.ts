import { parseStrategyDefinition, StrategyDefinitionError, type StrategyDefinition } from '../../domain/strategies/index.ts';
import { AppError, compose, say, t, type Message } from '../shared/errors.ts';

/** Turns the domain's validation error into the product's, keeping every path. */
export function toAppError(error: StrategyDefinitionError): AppError {
  return invalidStrategy(error.issues.map((i) => ({ path: i.path, reason: i.message })));
}

/** The strategy's problems as one validation_failed error: the problem itself when there is one, else how many. */
export function invalidStrategy(problems: ReadonlyArray<{ path: string; reason: Message }>): AppError {
  const only = problems.length === 1 ? problems[0]! : null;
  const message = only
    ? compose((l) => `${l === 'es' ? 'la estrategia no es válida' : 'the strategy is not valid'}: ${only.path ? `${only.path}: ` : ''}${say(only.reason, l)}`)
    : t(`the strategy is not valid (${problems.length} problems)`, `la estrategia no es válida (${problems.length} problemas)`);
  return new AppError('validation_failed', message, problems.map((p) => ({ path: p.path || '(file)', reason: p.reason })));
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
