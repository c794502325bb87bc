/** The portfolio's read side: what the API and the back office show. */
export { getDebtor, findDebtorRow, debtorDetailView, type DebtorDetailView, type DebtorHoldView } from './get-debtor.ts';
export { listDebtors, type DebtorFilters, type DebtorSort } from './list-debtors.ts';
export { getObligation } from './get-obligation.ts';
export { listObligations, type ObligationFilters } from './list-obligations.ts';
export { getPayment, type PaymentDetailView } from './get-payment.ts';
export { listPayments, type PaymentFilters } from './list-payments.ts';
export { DEFAULT_LIMIT, MAX_LIMIT, type CursorKey, type Page } from './page.ts';
export type { DebtorAccountView, DebtorView, ObligationView, PaymentView } from './views.ts';
export { listPortfolios, portfolioIdByName, type PortfolioView } from './list-portfolios.ts';
export { listImports, getImport, type ImportView, type ImportDetailView } from './list-imports.ts';
