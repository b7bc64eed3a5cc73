export { readJournal, writeJournal } from './journal-file.ts';
export { renderHtmlReport, writeHtmlReport } from './html.ts';
export { renderSummary, type ReportPaths } from './summary.ts';
export { toJsonResult, type JsonResult } from './json-result.ts';
export { ProgressPrinter, type ProgressOptions, type ProgressStream } from './progress.ts';
