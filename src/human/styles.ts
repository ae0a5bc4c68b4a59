import { createHash } from 'node:crypto';

/**
 * The console's only stylesheet, served from our origin (the CSP allows styles from 'self' and
 * nothing inline). Colours keep at least 4.5:1 contrast for text; focus is always visible.
 */
export const STYLESHEET = `
:root {
  --bg: #f6f7f9; --card: #ffffff; --text: #1b1f24; --muted: #57606a; --line: #d8dee4;
  --brand: #1f4fd1; --brand-dark: #163c9e; --brand-soft: #e8eefc;
  --ok: #116329; --ok-soft: #dafbe1; --warn: #7a4a00; --warn-soft: #fff4d6;
  --bad: #a40e26; --bad-soft: #ffebe9; --radius: 10px;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--text); font: 16px/1.5 var(--font); }
a { color: var(--brand); text-underline-offset: 2px; }
a:hover { color: var(--brand-dark); }
:focus-visible { outline: 3px solid #2f6feb; outline-offset: 2px; border-radius: 4px; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 0 0 .75rem; }
h3 { font-size: 1rem; margin: 0 0 .5rem; }
p { margin: 0 0 .75rem; }
code, .mono { font-family: var(--mono); font-size: .875em; }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; top: .5rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

.topbar { background: #0f1b33; color: #fff; }
.topbar .inner { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; padding: .6rem 1rem; max-width: 1120px; margin: 0 auto; }
.brand { color: #fff; font-weight: 700; text-decoration: none; letter-spacing: .2px; }
.brand span { color: #9db8ff; font-weight: 500; }
.topbar .who { margin-left: auto; display: flex; align-items: center; gap: .75rem; flex-wrap: wrap; font-size: .9rem; color: #d8e0f0; }
.topbar .ws { color: #fff; font-weight: 600; }
.topbar button, .topbar select { font-size: .85rem; }
.topbar .link-button { background: transparent; color: #fff; border: 1px solid #51648c; }
.topbar .link-button:hover { background: #1d2c4d; }
.topbar form { margin: 0; display: flex; gap: .35rem; align-items: center; }
.topbar select { background: #1d2c4d; color: #fff; border: 1px solid #51648c; border-radius: 6px; padding: .25rem .4rem; }

nav.tabs { background: var(--card); border-bottom: 1px solid var(--line); }
nav.tabs ul { display: flex; gap: .25rem; list-style: none; margin: 0 auto; padding: 0 .75rem; max-width: 1120px; overflow-x: auto; }
nav.tabs a { display: block; padding: .7rem .75rem; color: var(--muted); text-decoration: none; white-space: nowrap; border-bottom: 3px solid transparent; font-weight: 500; }
nav.tabs a:hover { color: var(--text); }
nav.tabs a[aria-current="page"] { color: var(--brand); border-bottom-color: var(--brand); }
.count { display: inline-block; min-width: 1.4em; padding: 0 .4em; margin-left: .3em; border-radius: 999px; background: var(--bad); color: #fff; font-size: .75rem; text-align: center; line-height: 1.5; }

main { max-width: 1120px; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
main.narrow { max-width: 560px; padding-top: 3rem; }
.page-head { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: .5rem; margin-bottom: 1rem; }
.lead { color: var(--muted); margin: 0; }

.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 1.1rem 1.2rem; margin-bottom: 1rem; }
.grid { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); margin-bottom: 1rem; }
.card .grid { margin-bottom: 0; }
.grid > .card { margin-bottom: 0; }
.stats { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); margin-bottom: 1rem; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: .8rem 1rem; }
.stat .label { color: var(--muted); font-size: .85rem; display: block; }
.stat .value { font-size: 1.7rem; font-weight: 700; display: block; }
.stat a { text-decoration: none; color: inherit; }

.notice { border-radius: var(--radius); padding: .75rem 1rem; margin-bottom: 1rem; border: 1px solid; }
.notice p:last-child { margin-bottom: 0; }
.notice.info { background: var(--brand-soft); border-color: #b6c8f5; }
.notice.ok { background: var(--ok-soft); border-color: #9bd8ab; color: #0b4a1f; }
.notice.warn { background: var(--warn-soft); border-color: #e9c46a; color: #5a3700; }
.notice.error { background: var(--bad-soft); border-color: #f5a3ad; color: #7d0a1d; }

.badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .78rem; font-weight: 600; background: #eef1f4; color: #32383f; border: 1px solid var(--line); white-space: nowrap; }
.badge.ok { background: var(--ok-soft); color: var(--ok); border-color: #9bd8ab; }
.badge.warn { background: var(--warn-soft); color: var(--warn); border-color: #e9c46a; }
.badge.bad { background: var(--bad-soft); color: var(--bad); border-color: #f5a3ad; }
.badge.brand { background: var(--brand-soft); color: var(--brand-dark); border-color: #b6c8f5; }

.table-wrap { overflow-x: auto; position: relative; }
table { width: 100%; border-collapse: collapse; font-size: .92rem; }
caption { text-align: left; font-weight: 600; padding-bottom: .5rem; }
th, td { text-align: left; padding: .5rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: .82rem; text-transform: uppercase; letter-spacing: .03em; }
tbody th { color: var(--text); font-size: .9rem; text-transform: none; letter-spacing: 0; }
tbody tr:hover { background: #f9fafb; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: var(--muted); }
.small { font-size: .85rem; }
.nowrap { white-space: nowrap; }
.break { word-break: break-word; }

form { margin: 0; }
label { display: block; font-weight: 600; margin-bottom: .3rem; }
.field { margin-bottom: .9rem; }
.help { color: var(--muted); font-size: .85rem; font-weight: 400; margin-top: .25rem; }
input[type=text], input[type=email], input[type=number], input[type=date], select, textarea {
  font: inherit; width: 100%; padding: .5rem .6rem; border: 1px solid #8c959f; border-radius: 6px; background: #fff; color: var(--text);
  min-height: 2.6rem;
}
textarea { min-height: 4.5rem; resize: vertical; }
input.code { font-family: var(--mono); font-size: 1.5rem; letter-spacing: .4rem; max-width: 12rem; }
.inline { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
.inline .field { margin-bottom: 0; flex: 1 1 160px; }
.inline .field.shrink { flex: 0 0 auto; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-top: .5rem; }
button, .button {
  font: inherit; font-weight: 600; display: inline-block; padding: .5rem 1rem; border-radius: 6px; border: 1px solid var(--brand);
  background: var(--brand); color: #fff; cursor: pointer; text-decoration: none; line-height: 1.3; white-space: nowrap;
}
button:hover, .button:hover { background: var(--brand-dark); color: #fff; }
button.secondary, .button.secondary { background: #fff; color: var(--text); border-color: #8c959f; }
button.secondary:hover, .button.secondary:hover { background: #f3f4f6; color: var(--text); }
button.danger { background: #fff; color: var(--bad); border-color: var(--bad); }
button.danger:hover { background: var(--bad-soft); color: var(--bad); }
button.approve { background: var(--ok); border-color: var(--ok); }
button.approve:hover { background: #0b4a1f; }
button.small, .button.small { padding: .25rem .6rem; font-size: .85rem; }
fieldset { border: 1px solid var(--line); border-radius: var(--radius); padding: .75rem 1rem; margin: 0 0 1rem; }
legend { font-weight: 600; padding: 0 .3rem; }

.proposal { border-left: 4px solid var(--brand); }
.proposal.stale { border-left-color: #d4a72c; }
.proposal header { display: flex; flex-wrap: wrap; justify-content: space-between; gap: .5rem; align-items: baseline; margin-bottom: .5rem; }
.proposal .meta { color: var(--muted); font-size: .88rem; }
.proposal form { margin-top: 1rem; }
label.pick { display: inline-flex; align-items: center; gap: .4rem; margin: 0 .5rem 0 0; }
label.pick input { width: 1.15rem; height: 1.15rem; margin: 0; }
.bulk { border-left: 4px solid var(--brand); }
.bulk h3 { margin-top: 0; }
.bulk-results li { margin: .3rem 0; overflow-wrap: anywhere; }
.record-ref { overflow-wrap: anywhere; }
.diff td.before { background: var(--bad-soft); color: #7d0a1d; text-decoration: line-through; text-decoration-color: #d67b87; }
.diff td.after { background: var(--ok-soft); color: #0b4a1f; }
.diff td.arrow { color: var(--muted); width: 1.5rem; text-align: center; }

.chart { width: 100%; height: auto; display: block; }
.chart + .chart { margin-top: .75rem; }
.chart text { font-family: var(--font); fill: #32383f; }
.chart .bar { fill: var(--brand); }
.chart .bar.alt { fill: #5b8def; }
.chart .axis { stroke: #8c959f; stroke-width: 1; }
.chart .grid-line { stroke: #e5e9ee; stroke-width: 1; }
details summary { cursor: pointer; color: var(--brand); margin-top: .5rem; }
meter { width: 100%; height: .9rem; }
dl.pairs { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; margin: 0; }
dl.pairs dt { color: var(--muted); }
dl.pairs dd { margin: 0; }
ul.plain { list-style: none; padding: 0; margin: 0; }
ul.plain > li { padding: .45rem 0; border-bottom: 1px solid var(--line); }
ul.plain > li:last-child { border-bottom: 0; }
.changes.inline li { display: inline; }
.changes.inline li + li::before { content: " · "; color: var(--muted); }
.changes { list-style: none; padding: 0; margin: .25rem 0 0; font-size: .85rem; }
.changes li { padding: .1rem 0; }
/* Usage wraps its numbers under the meter when the card is narrow, instead of pushing past it. */
.usage { display: flex; flex-wrap: wrap; align-items: center; justify-content: flex-end; gap: .15rem .6rem; }
.usage meter { flex: 1 1 5rem; min-width: 4rem; }
.usage span { flex: 0 1 auto; min-width: 7.5em; font-variant-numeric: tabular-nums; text-align: right; overflow-wrap: anywhere; }
/* The audit log: ids, operations and reason codes stay whole (a column is as wide as its longest
   one); only free text and changed values wrap, so "Record and changes" gets the room. */
table.audit td { overflow-wrap: break-word; }
table.audit code, table.audit .mono { white-space: nowrap; }
table.audit .changes .value { overflow-wrap: anywhere; }
table.audit td.record { min-width: 16rem; }
table.audit .policy { margin-top: .2rem; }
.feed time { color: var(--muted); font-size: .85rem; display: inline-block; min-width: 7.5rem; }
.center { text-align: center; }
footer.foot { max-width: 1120px; margin: 0 auto; padding: 0 1rem 2rem; color: var(--muted); font-size: .85rem; }

@media (max-width: 640px) {
  body { font-size: 15px; }
  h1 { font-size: 1.35rem; }
  main { padding: 1rem .75rem 2.5rem; }
  main.narrow { padding-top: 1.5rem; }
  .card { padding: .9rem; }
  .topbar .who { margin-left: 0; width: 100%; }
  nav.tabs ul { flex-wrap: wrap; padding: .25rem .5rem; }
  nav.tabs a { padding: .45rem .55rem; border-bottom-width: 2px; }
  th, td { padding: .45rem .4rem; }
  .hide-sm { display: none; }
  /* Tables of a few wide columns become one block per row, each cell labelled, so nothing (a
     Revoke button) ends up beyond the screen's edge. */
  table.stack thead { display: none; }
  table.stack tr { display: block; border-bottom: 1px solid var(--line); padding: .35rem 0; }
  table.stack td, table.stack td.hide-sm { display: block; border: 0; padding: .2rem .4rem; }
  table.stack td[data-label]::before { content: attr(data-label) ': '; color: var(--muted); font-size: .85rem; }
  table.audit td.record { min-width: 0; }
  table.audit td.when { font-weight: 600; }
}
`;

/** A short content hash, so the stylesheet URL changes when the file does and can be cached long. */
export const STYLESHEET_VERSION = createHash('sha256').update(STYLESHEET).digest('hex').slice(0, 12);

/** The console's icon: a white "a" on the brand blue, drawn as a path so it needs no font. */
export const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1f4fd1"/><path d="M20.5 23.5v-1.6c-1.1 1.3-2.6 1.9-4.4 1.9-2.9 0-5.1-1.8-5.1-4.6 0-3 2.4-4.6 6.1-4.6 1.3 0 2.4.2 3.3.5v-.6c0-1.7-1.1-2.7-3.2-2.7-1.4 0-2.7.4-3.9 1.1l-1.1-2.4c1.6-.9 3.4-1.4 5.4-1.4 3.9 0 6.1 1.9 6.1 5.4v8.9h-3.2zm-3.6-2.2c1.7 0 3.1-.9 3.5-2.2v-1.4c-.8-.3-1.8-.5-2.9-.5-2 0-3.3.8-3.3 2.1 0 1.2 1.1 2 2.7 2z" fill="#fff"/></svg>
`;

export const FAVICON_VERSION = createHash('sha256').update(FAVICON).digest('hex').slice(0, 12);
