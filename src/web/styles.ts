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
`;
