export { readJournal, writeJournal } from './journal-file.ts';
export { renderHtmlReport, writeHtmlReport, type ReportOptions } from './html.ts';
export { renderSummary, type ReportPaths } from './summary.ts';
export { toJsonResult, type JsonResult } from './json-result.ts';
export { ProgressPrinter, type ProgressOptions, type ProgressStream } from './progress.ts';
export { appendHistory, readHistory, historyEntryFromJournal, historyFileName, type HistoryEntry } from './history.ts';
export { renderJunit, writeJunit, type JunitResult } from './junit.ts';
export { renderSuiteIndex, writeSuiteIndex, type SuiteEntry } from './suite-index.ts';
export { gitRevisionOf } from './git-revision.ts';
