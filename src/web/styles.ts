/** The one stylesheet. Plain CSS, system fonts, readable at any width. */
export const SITE_CSS = `
:root { color-scheme: light dark; --fg: #1d2330; --muted: #5b6472; --bg: #fbfbfd; --line: #d9dde5; --accent: #2456c7; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8eaf0; --muted: #a3acba; --bg: #14171d; --line: #323844; --accent: #7aa2ff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
.site-header { display: flex; gap: 1.5rem; align-items: center; padding: .75rem 1.5rem; border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; text-decoration: none; font-size: 1.15rem; }
.site-header nav { display: flex; gap: 1rem; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: .45rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); }
pre { white-space: pre-wrap; background: rgba(127,127,127,.08); padding: .75rem; border-radius: 6px; }
.muted { color: var(--muted); }
.pager { display: flex; justify-content: flex-end; padding: 1rem 0; }
details summary { cursor: pointer; }
form.stack { display: grid; gap: 1rem; max-width: 28rem; }
.field { display: grid; gap: .3rem; }
.field label { font-weight: 600; }
.field input { font: inherit; padding: .5rem .6rem; border: 1px solid var(--line); border-radius: 6px; background: transparent; color: inherit; }
.field input:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
.field-invalid input { border-color: #c62828; }
.field-error { color: #c62828; margin: 0; font-size: .95rem; }
.hint { color: var(--muted); margin: 0; font-size: .9rem; }
button, .button { font: inherit; padding: .5rem 1rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary { background: transparent; color: var(--accent); }
.notice { padding: .75rem 1rem; border-radius: 6px; margin: 0 0 1rem; border: 1px solid var(--line); }
.notice-error { border-color: #c62828; background: rgba(198,40,40,.08); }
.notice-success { border-color: #2e7d32; background: rgba(46,125,50,.08); }
.notice-info { background: rgba(36,86,199,.06); }
.inline-form { display: inline; }
.site-header .spacer { flex: 1; }
.site-header form { margin: 0; }
section + section { margin-top: 2rem; }
dl.profile { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
dl.profile dt { color: var(--muted); }
.course-search { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-bottom: 1.5rem; }
.course-search input[type="search"] { flex: 1 1 16rem; padding: .45rem .6rem; font: inherit; border: 1px solid var(--line); border-radius: 6px; }
`;
