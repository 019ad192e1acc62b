/** The dashboard's additions to the pages' stylesheet: a wider grid, cards, tables, bars and charts. */
export const operatorStyles = `
header, main, footer { max-width: 76rem; }
input[type=password], input[type=file] { width: 100%; font: inherit; padding: .6rem .8rem; border: 2px solid var(--border); border-radius: 6px; background: var(--bg); color: var(--text); }
header { display: flex; align-items: center; justify-content: space-between; gap: 1rem; flex-wrap: wrap; }
header form { margin: 0; }
header button { margin: 0; }
nav.sections { display: flex; gap: .25rem 1rem; flex-wrap: wrap; margin: 0 0 1rem; font-size: .95rem; }
nav.sections a { min-height: 44px; display: inline-flex; align-items: center; }
section.panel { border-top: 1px solid var(--border); padding-top: .5rem; margin-top: 1.5rem; }
h2 { font-size: 1.3rem; margin: .75rem 0; }
h3 { font-size: 1.05rem; margin: 1rem 0 .5rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr)); gap: .75rem; margin: 0 0 1rem; padding: 0; list-style: none; }
.cards li { background: var(--surface); border: 1px solid var(--border); border-radius: 8px; padding: .6rem .8rem; }
.cards .figure { display: block; font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.cards .label { color: var(--muted); font-size: .9rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(20rem, 100%), 1fr)); gap: 1rem 1.5rem; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; font-variant-numeric: tabular-nums; }
th, td { text-align: right; padding: .35rem .5rem; border-bottom: 1px solid var(--border); white-space: nowrap; }
th:first-child, td:first-child, th.text, td.text { text-align: left; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
.bar { display: block; height: .6rem; background: var(--accent); border-radius: 3px; min-width: 2px; }
td.bar-cell { width: 100%; min-width: 3rem; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 4px; font-size: .8rem; font-weight: 700; }
.badge.bad { background: var(--error); color: var(--bg); }
.badge.warn { background: #b06000; color: #fff; }
.badge.ok { background: #1a7f37; color: #fff; }
figure { margin: 0 0 1rem; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: .9rem; }
.legend { display: flex; gap: 1rem; flex-wrap: wrap; font-size: .9rem; margin: .25rem 0; padding: 0; list-style: none; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; margin-right: .3rem; vertical-align: -1px; }
.signups { background: #1f77b4; } .leavers { background: #d62728; } .active { background: var(--text); }
svg .signups { fill: #1f77b4; } svg .leavers { fill: #d62728; } svg .active-line { fill: none; stroke: var(--text); stroke-width: 2; }
svg .axis { stroke: var(--border); stroke-width: 1; } svg text { fill: var(--muted); font-size: 11px; }
progress { width: 100%; height: 1.4rem; accent-color: var(--accent); }
.progress-card { background: var(--surface); border: 1px solid var(--border); border-radius: 8px; padding: .75rem 1rem; margin: 0 0 1rem; }
.progress-card dl { display: grid; grid-template-columns: repeat(auto-fit, minmax(8rem, 1fr)); gap: .25rem 1rem; margin: .5rem 0 0; }
.progress-card dt { color: var(--muted); font-size: .85rem; } .progress-card dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
form.inline { display: inline; margin: 0; }
form.inline button { margin: 0; padding: .35rem .7rem; min-height: 36px; font-size: .9rem; }
.action { background: var(--surface); border: 1px solid var(--border); border-radius: 8px; padding: .75rem 1rem; margin: 0; }
.action h3 { margin-top: 0; }
.confirm { font-weight: 400; display: flex; gap: .5rem; align-items: center; min-height: 44px; }
.confirm input { width: 1.2rem; height: 1.2rem; }
.notice { border-left: 4px solid var(--accent); background: var(--surface); padding: .6rem .9rem; margin: 0 0 1rem; }
.notice.error { border-color: var(--error); }
.muted { color: var(--muted); }
iframe.preview { width: 100%; height: 70vh; border: 1px solid var(--border); border-radius: 6px; background: #fff; }
pre.preview { white-space: pre-wrap; background: var(--surface); padding: 1rem; border-radius: 6px; max-height: 70vh; overflow: auto; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
@media (max-width: 30rem) { th, td { padding: .3rem .35rem; } .cards .figure { font-size: 1.3rem; } }
`;
