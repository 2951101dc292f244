/**
 * The report as JSON: the report model itself (format "custody-report/v1"),
 * pretty-printed with two spaces. Field names are stable; they are documented
 * on the interfaces in model-types.ts and in docs/VERIFYING.md. Strings are the
 * record's own text, unmodified (JSON escaping only).
 */
import type { ReportModel } from './model.js';

export function renderJson(model: ReportModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
