/**
 * Writes the book's CSV files and prints their paths and row counts as JSON: `node bench/support/write-book.ts DIR DEBTORS`.
 * Run as a child process by the benchmarks so that generating the files does not weigh on the measured process.
 */
import { writeFiles } from './book.ts';

const [dir, debtors] = process.argv.slice(2);
if (!dir || !(Number(debtors) > 0)) throw new Error('usage: write-book.ts DIR DEBTORS');
process.stdout.write(JSON.stringify(await writeFiles(dir, Number(debtors))) + '\n');
