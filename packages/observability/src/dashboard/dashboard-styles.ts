/** The dashboard's stylesheet, inlined under the page's CSP nonce: no CDN, no web fonts. */
export const DASHBOARD_STYLES = `
:root {
  --background: #0b1020; --panel: #121933; --panel-edge: #1f2a4d; --text: #e6eaf5; --muted: #8d98b8;
  --accent: #6ea8ff; --accent-2: #b78cff; --good: #3ecf8e; --bad: #ff6b6b; --warn: #f5b94d; --grid: #1f2a4d;
  color-scheme: dark;
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--background); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-variant-numeric: tabular-nums;
}
main { max-width: 1320px; margin: 0 auto; padding: 20px 24px 40px; }
header { display: flex; align-items: center; gap: 16px; flex-wrap: wrap; margin-bottom: 18px; }
h1 { font-size: 20px; margin: 0; letter-spacing: .2px; }
h1 .brand { color: var(--accent); }
.badge { border: 1px solid var(--panel-edge); background: var(--panel); border-radius: 999px; padding: 3px 10px; color: var(--muted); font-size: 12px; }
.spacer { flex: 1; }
nav.ranges { display: flex; background: var(--panel); border: 1px solid var(--panel-edge); border-radius: 8px; overflow: hidden; }
nav.ranges a { color: var(--muted); text-decoration: none; padding: 5px 14px; font-size: 13px; }
nav.ranges a.active { background: var(--accent); color: #0b1020; font-weight: 600; }
.meta { color: var(--muted); font-size: 12px; }
.tiles { display: grid; grid-template-columns: repeat(6, minmax(0, 1fr)); gap: 12px; margin-bottom: 12px; }
.tiles.goals { grid-template-columns: repeat(3, minmax(0, 1fr)); }
.verdict { font-weight: 600; }
.verdict.roll-out { color: var(--good); }
.verdict.keep-control { color: var(--bad); }
#dashboard > .panel { margin-bottom: 12px; }
.grid { display: grid; gap: 12px; margin-bottom: 12px; }
.grid.two { grid-template-columns: 2fr 1fr; }
.grid.halves { grid-template-columns: 1fr 1fr; }
.grid.three { grid-template-columns: repeat(3, minmax(0, 1fr)); }
.grid.tables { grid-template-columns: 1fr 1.45fr 1fr; }
.stack { display: flex; flex-direction: column; gap: 12px; min-width: 0; }
.panel { background: var(--panel); border: 1px solid var(--panel-edge); border-radius: 12px; padding: 14px 16px; min-width: 0; }
.panel h2 { font-size: 13px; font-weight: 600; color: var(--muted); margin: 0 0 10px; text-transform: uppercase; letter-spacing: .6px; }
.tile .value { font-size: 26px; font-weight: 650; margin: 2px 0; overflow-wrap: anywhere; }
.tile .value .unit { font-size: 13px; font-weight: 500; margin-left: 6px; color: var(--muted); white-space: nowrap; }
.tile .value .unit.unknown { color: var(--warn); }
.tile .sub { color: var(--muted); font-size: 12px; min-height: 18px; }
.target { display: inline-block; margin-top: 8px; font-size: 12px; border-radius: 6px; padding: 2px 8px; }
.target.met { background: rgba(62, 207, 142, .14); color: var(--good); }
.target.missed { background: rgba(255, 107, 107, .14); color: var(--bad); }
.target.no-data { background: rgba(141, 152, 184, .14); color: var(--muted); }
.unknown { color: var(--warn); }
svg.chart { width: 100%; height: 220px; display: block; }
svg.chart text { fill: var(--muted); font-size: 11px; }
.legend { display: flex; gap: 14px; color: var(--muted); font-size: 12px; margin-bottom: 4px; }
.legend i { display: inline-block; width: 10px; height: 3px; border-radius: 2px; margin-right: 6px; vertical-align: middle; }
.legend .p50 { background: var(--accent); } .legend .p95 { background: var(--accent-2); }
.legend .goal { background: var(--good); } .legend .bars { background: var(--accent); height: 8px; }
.legend .failed { background: var(--bad); height: 8px; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th { text-align: left; color: var(--muted); font-weight: 500; padding: 4px 6px; border-bottom: 1px solid var(--panel-edge); }
td { padding: 5px 6px; border-bottom: 1px solid rgba(31, 42, 77, .6); }
td.number, th.number { text-align: right; }
.dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 8px; }
.dot.up, .dot.healthy, .dot.met { background: var(--good); }
.dot.slow, .dot.degraded { background: var(--warn); }
.dot.down, .dot.unhealthy, .dot.missed { background: var(--bad); }
.dot.no-data { background: var(--muted); }
.empty { color: var(--muted); font-size: 13px; padding: 8px 0; }
@media (max-width: 1100px) {
  .tiles { grid-template-columns: repeat(3, minmax(0, 1fr)); }
  .grid.two, .grid.halves, .grid.three, .grid.tables { grid-template-columns: 1fr; }
}
`;
