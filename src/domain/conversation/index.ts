/** The WhatsApp self-service conversation: understanding Spanish messages, and the state machine that answers them. */
export { normalizeText, wordsToNumber } from './text.ts';
export { findDates, findDateAnswer, isoWeekdayOf, nextDayOfMonth, type DateMention } from './dates.ts';
export { findAmounts, numberText, type AmountMention } from './amounts.ts';
export { understand, INTENTS, type Intent, type Expectation, type Understanding, type UnderstandContext } from './intents.ts';
export { formatAmount, formatDay, formatLongDate } from './format.ts';
export {
  step,
  initialState,
  expectationOf,
  describePlan,
  MAX_MISUNDERSTOOD,
  type BalanceLine,
  type ConversationEffect,
  type ConversationFacts,
  type ConversationInput,
  type ConversationState,
  type ConversationStep,
  type EffectOutcome,
  type Minor,
  type PlanOffer,
  type StepName,
  type StepResult,
  type TaskPurpose,
} from './machine.ts';
