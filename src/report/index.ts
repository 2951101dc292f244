/** The admissibility report: one model, rendered as text, JSON and HTML (with an SVG custody picture). */

export type {
  ActorInfo,
  CustodyPeriod,
  Timeline,
  TimelineEvent,
} from '../custody/timeline.js';
export { renderHtml } from './html.js';
export { renderJson } from './json.js';
export {
  type ActorRow,
  type AnchorRow,
  type Area,
  buildReportModel,
  type Certification,
  type CheckpointInfo,
  type CheckRow,
  type Custody,
  checkArea,
  type DigestRow,
  type DurationText,
  digestName,
  durationText,
  type EventRow,
  type FileInfo,
  type HandoverRow,
  type Identification,
  type LineageRow,
  type Method,
  type Party,
  type PeriodRow,
  type ProblemRow,
  problemArea,
  REPORT_FORMAT,
  type RehashResult,
  type ReportMeta,
  type ReportModel,
  type Scope,
  type SealResult,
  sizeText,
  type TimeText,
  timeText,
  type Validation,
  visible,
} from './model.js';
export { escapeXml, renderCustodySvg, truncate } from './svg.js';
export { renderText, wrap } from './text.js';
