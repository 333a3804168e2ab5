// Checks deploy/grafana/dashboards/*.json (run by deploy/check.sh; Node, no dependencies):
//   - valid JSON with a uid, a title and panels; panel ids unique; every panel and target on the
//     provisioned Prometheus datasource (uid "prometheus" or the ${datasource} variable);
//   - every query names only metrics that Stowage exports (the list below);
//   - writes every query, with Grafana's $__ variables replaced, as a recording rule into the file given as
//     second argument, so that `promtool check rules` parses each one with Prometheus' own PromQL parser.
//   node check-dashboard.mjs <dashboard.json> <rules-out.yml>
import { readFileSync, writeFileSync } from "node:fs";

const EXPORTED = new Set([
  // api-gateway
  "stowage_uploads_total", "stowage_files_accepted_total", "stowage_bytes_accepted_total",
  "stowage_job_duration_seconds_bucket", "stowage_job_duration_seconds_count", "stowage_job_duration_seconds_sum",
  "stowage_queue_messages", "stowage_queue_consumers", "stowage_queue_oldest_age_seconds",
  "stowage_uploads_refused_total", "stowage_uploads_replayed_total", "stowage_tenant_waiting_files",
  "stowage_files_cancelled_total", "stowage_webhook_deliveries_total",
  // worker-service
  "stowage_files_processed_total",
  "stowage_file_processing_seconds_bucket", "stowage_file_processing_seconds_count", "stowage_file_processing_seconds_sum",
  "stowage_phase_seconds_bucket", "stowage_phase_seconds_count", "stowage_phase_seconds_sum",
  "stowage_retries_total", "stowage_dead_letters_total", "stowage_files_in_flight",
  "stowage_records_stored_total", "stowage_bytes_stored_total",
]);
// PromQL words that are not metric names.
const WORDS = new Set(["sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values",
  "group", "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan",
  "rate", "irate", "increase", "delta", "idelta", "deriv", "histogram_quantile", "sum_over_time", "avg_over_time",
  "max_over_time", "min_over_time", "count_over_time", "last_over_time", "abs", "ceil", "floor", "round", "clamp_min",
  "clamp_max", "clamp", "vector", "scalar", "time", "label_replace", "label_join", "sort", "sort_desc", "absent", "changes", "resets"]);

const [file, rulesOut] = process.argv.slice(2);
const problems = [];
let dashboard;
try {
  dashboard = JSON.parse(readFileSync(file, "utf8"));
} catch (e) {
  console.error(`${file}: not valid JSON: ${e.message}`);
  process.exit(1);
}
if (!dashboard.uid || !dashboard.title || !Array.isArray(dashboard.panels)) problems.push("needs uid, title and panels");
const okDatasource = (ds) => ds && ds.type === "prometheus" && ["prometheus", "${datasource}"].includes(ds.uid);
const ids = new Set();
const rules = [];
const panels = (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
for (const p of panels) {
  const where = `panel ${p.id} "${p.title}"`;
  if (ids.has(p.id)) problems.push(`${where}: duplicate id`);
  ids.add(p.id);
  if (!p.gridPos) problems.push(`${where}: no gridPos`);
  if (p.type === "row") continue;
  if (!okDatasource(p.datasource)) problems.push(`${where}: datasource must be the provisioned Prometheus`);
  if (!Array.isArray(p.targets) || p.targets.length === 0) problems.push(`${where}: no queries`);
  for (const t of p.targets ?? []) {
    if (!okDatasource(t.datasource)) problems.push(`${where} ${t.refId}: datasource must be the provisioned Prometheus`);
    if (typeof t.expr !== "string" || !t.expr.trim()) { problems.push(`${where} ${t.refId}: empty expr`); continue; }
    const names = t.expr
      .replace(/"(?:[^"\\]|\\.)*"/g, '""')          // strings
      .replace(/\{[^}]*\}/g, "")                      // label matchers
      .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "") // grouping labels
      .replace(/\[[^\]]*\]/g, "")                     // ranges
      .match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
    for (const n of names) {
      if (WORDS.has(n) || /^\$/.test(n)) continue;
      if (!EXPORTED.has(n)) problems.push(`${where} ${t.refId}: ${n} is not a metric Stowage exports`);
    }
    if (!names.some((n) => EXPORTED.has(n))) problems.push(`${where} ${t.refId}: names no Stowage metric`);
    const expr = t.expr.replaceAll("$__rate_interval", "1m").replaceAll("$__interval", "1m").replaceAll("$__range", "1h");
    rules.push({ record: `dashboard:panel_${p.id}_${t.refId}`, expr });
  }
}
if (problems.length) {
  console.error(`${file}: ${problems.length} problem(s):`);
  for (const m of problems) console.error(`  ${m}`);
  process.exit(1);
}
// JSON is YAML: promtool reads this as a rules file.
writeFileSync(rulesOut, JSON.stringify({ groups: [{ name: "dashboard-queries", rules }] }, null, 2));
console.log(`${file}: ${panels.filter((p) => p.type !== "row").length} panels, ${rules.length} queries, only exported metrics`);
