/** The portfolio module's public surface: write side (imports, saves, payments, balances); read side added alongside. */
export { importFile, createImport, importFormat, type ImportFileOptions, type ImportResult, type ImportStatus, type ImportError } from './import-file.ts';
export { failStaleImports, STALE_IMPORT_REASON } from './import-liveness.ts';
export { saveRecords, MAX_SAVE_ROWS, type SaveRecordsOptions, type SaveResult } from './save-records.ts';
export { recomputeBalances, type RecomputeSummary } from './recompute-balances.ts';
export { reversePayment, type ReversePaymentResult } from './reverse-payment.ts';
export { deletePayment } from './delete-payment.ts';
export { MAX_REPORTED_ERRORS } from './import/errors.ts';
/** The streaming file readers, for other modules' imports (bank statements) that read the same CSV/XLSX files. */
export { readCsv, type CsvOptions } from './import/csv.ts';
export { readXlsx } from './import/xlsx.ts';
export { FileProblem, type SourceItem } from './import/source.ts';
export {
  COLUMNS,
  ENTITIES,
  OBLIGATION_KINDS,
  normalizeHeader,
  validateDebtor,
  validateObligation,
  validatePayment,
  type ColumnSpec,
  type DebtorRecord,
  type Entity,
  type ObligationRecord,
  type PaymentRecord,
  type RecordContext,
} from './records.ts';
export { loadDemo, type DemoCounts } from './demo/load-demo.ts';
export * from './queries/index.ts';
export { importErrorReport, importErrorColumns } from './import-report.ts';
