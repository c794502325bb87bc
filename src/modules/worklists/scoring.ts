/**
 * The priority score of an account: the chance-like weight that, times its balance, gives the expected recovery the
 * worklist orders by. `ScoringModel` is the seam where a learned model plugs in later; the rule-based model below is
 * the default. Models are pure: features in, a score in [0, 1] out.
 */

/** What a model sees of one account (computed set-based from the run's accounts, interactions and tasks). */
export interface AccountFeatures {
  /** Days past due as the last run left it; null when nothing is owed. */
  dpd: number | null;
  /** Balance in the account's main currency, minor units. */
  balance: bigint;
  currency: string;
  /** Decimals of the currency (CLP 0, MXN 2, …), so models can reason in major units. */
  exponent: number;
  /** Promises broken before (negotiation's 'promise_broken' tasks). */
  brokenPromises: number;
  /** Promises taken before (interactions with outcome promise). */
  promisesTaken: number;
  /** Some channel with a recipient and no opt-out. */
  reachable: boolean;
  /** Right-party contacts in the last 30 days. */
  rightPartyContacts30d: number;
  /** The last call reached a wrong number. */
  wrongNumber: boolean;
  onHold: boolean;
}

export interface ScoringModel {
  /** Stored beside every score, so results can be compared between models. */
  readonly name: string;
  /** A score in [0, 1]; values outside are clamped by the caller. */
  score(features: AccountFeatures): number;
}

/** Likelihood of paying by days past due: fresh delinquency pays far more often than old. */
function dpdWeight(dpd: number | null): number {
  if (dpd === null) return 0;
  if (dpd <= 0) return 0.9;
  if (dpd <= 30) return 0.7;
  if (dpd <= 60) return 0.5;
  if (dpd <= 90) return 0.35;
  if (dpd <= 180) return 0.2;
  return 0.08;
}

/**
 * The default, rule-based model: DPD sets the base; large balances recover proportionally less (a gentle log
 * damping); broken promises lower it, a history of promises and recent right-party contact raise it; an account that
 * cannot be reached, or whose last call hit a wrong number, is worth less of a collector's time; a held account is 0.
 */
export const ruleBasedModel: ScoringModel = {
  name: 'rules-v1',
  score(f) {
    if (f.onHold || f.balance <= 0n) return 0;
    let s = dpdWeight(f.dpd);
    const major = Number(f.balance) / 10 ** f.exponent;
    s *= 1 / (1 + 0.08 * Math.log10(Math.max(1, major / 1000)));
    s *= Math.max(0.4, 1 - 0.2 * f.brokenPromises);
    if (f.promisesTaken > f.brokenPromises) s *= 1.1;
    if (f.rightPartyContacts30d > 0) s *= 1.1;
    if (!f.reachable) s *= 0.3;
    if (f.wrongNumber) s *= 0.5;
    return Math.min(1, Math.max(0, s));
  },
};

/** Ranks above every other currency's accounts are those in the company's currency (no exchange rate is assumed). */
export const OTHER_CURRENCY_OFFSET = 4_000_000_000_000_000;

/**
 * The sort key of the worklist: expected recovery (minor units) for accounts in the company's currency; accounts in
 * other currencies rank below all of those, among themselves by expected recovery.
 */
export function rankKey(expectedRecovery: bigint, inCompanyCurrency: boolean): number {
  const capped = Number(expectedRecovery > 3_999_999_999_999_999n ? 3_999_999_999_999_999n : expectedRecovery < 0n ? 0n : expectedRecovery);
  return inCompanyCurrency ? capped : capped - OTHER_CURRENCY_OFFSET;
}

/** balance × score in minor units, rounded down (score has ~6 significant digits here). */
export function expectedRecovery(balance: bigint, score: number): bigint {
  const micro = BigInt(Math.round(Math.min(1, Math.max(0, score)) * 1_000_000));
  return (balance * micro) / 1_000_000n;
}
