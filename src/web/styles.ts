/**
 * The one stylesheet. Plain CSS, system fonts, readable at any width down to 320 px. Colours are chosen for
 * WCAG AA contrast in both schemes (axe-core checks it in the walk test); focus is always visible.
 */
export const SITE_CSS = `
:root { color-scheme: light dark; --fg: #1d2330; --muted: #525b69; --bg: #fbfbfd; --panel: #ffffff; --line: #d3d8e1; --accent: #1f4fb8; --accent-fg: #ffffff; --danger: #b3261e; --danger-fg: #ffffff; --ok: #1e6b25; --focus: #f0b400; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8eaf0; --muted: #a9b2c0; --bg: #14171d; --panel: #1b1f27; --line: #353b47; --accent: #8fb0ff; --accent-fg: #0d1321; --danger: #ff8a80; --danger-fg: #2a0906; --ok: #8bd48f; } }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); overflow-wrap: break-word; }
a { color: var(--accent); text-underline-offset: .15em; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
img { max-width: 100%; height: auto; }
code { overflow-wrap: anywhere; }
.skip-link { position: absolute; left: .5rem; top: -3rem; z-index: 10; padding: .5rem .75rem; background: var(--panel); color: var(--accent); border: 2px solid var(--accent); border-radius: 6px; }
.skip-link:focus { top: .5rem; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }

/* Header: brand, main navigation, account. Items never break inside a word; the row wraps between items. */
.site-header { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; padding: .6rem 1.25rem; border-bottom: 1px solid var(--line); background: var(--panel); }
.brand { display: inline-flex; align-items: center; gap: .4rem; font-weight: 700; text-decoration: none; font-size: 1.15rem; color: var(--fg); white-space: nowrap; }
.brand svg { flex: none; }
.site-header nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: center; }
.site-header nav a, .site-header summary { white-space: nowrap; text-decoration: none; padding: .25rem 0; display: inline-block; }
.site-header nav a:hover, .site-header summary:hover { text-decoration: underline; }
.site-header nav a[aria-current] { font-weight: 600; text-decoration: underline; text-decoration-thickness: 2px; }
.site-header .nav-account { margin-left: auto; }
.count { display: inline-block; min-width: 1.4em; padding: 0 .4em; margin-left: .25em; border-radius: 999px; background: var(--accent); color: var(--accent-fg); font-size: .8rem; font-weight: 700; text-align: center; line-height: 1.5; }
.account-menu { position: relative; }
.account-menu summary { cursor: pointer; color: var(--accent); list-style: none; }
.account-menu summary::-webkit-details-marker { display: none; }
.account-menu summary::after { content: " \\25BE"; }
.account-menu[open] > ul { position: absolute; right: 0; top: 100%; z-index: 5; display: grid; gap: .1rem; min-width: 13rem; margin: .3rem 0 0; padding: .4rem; list-style: none; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; box-shadow: 0 6px 18px rgba(0,0,0,.12); }
.account-menu li a, .account-menu li button { display: block; width: 100%; text-align: left; padding: .35rem .5rem; }
.account-menu li form { margin: 0; }
.account-menu li button { background: transparent; color: var(--accent); border: 0; font: inherit; cursor: pointer; }
.account-menu .menu-who { padding: .25rem .5rem; color: var(--muted); font-size: .9rem; }

main { max-width: 64rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
.site-footer { max-width: 64rem; margin: 0 auto; padding: 1rem 1.25rem 2rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; }
.site-footer ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }
h1 { line-height: 1.2; margin: .25rem 0 1rem; }
h2 { line-height: 1.25; }
table { width: 100%; border-collapse: collapse; }
.table-wrap { overflow-x: auto; }
th, td { text-align: left; padding: .45rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: rgba(127,127,127,.08); padding: .75rem; border-radius: 6px; }
.muted { color: var(--muted); }
.pager { display: flex; justify-content: flex-end; padding: 1rem 0; }
details summary { cursor: pointer; }
section + section { margin-top: 2rem; }
dl.profile { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .3rem 1rem; }
dl.profile dt { color: var(--muted); }
dl.profile dd { margin: 0; }
@media (max-width: 30rem) { dl.profile { grid-template-columns: minmax(0, 1fr); gap: 0; } dl.profile dd { margin-bottom: .5rem; } }
dd, td, li { overflow-wrap: anywhere; }

/* Forms: one look for every control. Text inputs fill their column; selects and buttons keep their size. */
form.stack { display: grid; gap: 1rem; max-width: 30rem; }
.field { display: grid; gap: .3rem; justify-items: start; }
.field > input, .field > textarea { justify-self: stretch; }
.field label, .field legend { font-weight: 600; }
input[type="text"], input[type="email"], input[type="password"], input[type="url"], input[type="search"], input[type="number"], input[type="date"], input[type="datetime-local"], textarea, select {
  font: inherit; color: inherit; background: var(--panel); padding: .5rem .6rem; border: 1px solid #7a8394; border-radius: 6px; max-width: 100%; min-height: 2.5rem; }
select { width: auto; min-width: 10rem; padding-right: 2rem; }
textarea { width: 100%; min-height: 6rem; resize: vertical; }
input[type="checkbox"], input[type="radio"] { width: 1.15rem; height: 1.15rem; margin: 0; accent-color: var(--accent); }
.check { display: flex; gap: .5rem; align-items: flex-start; font-weight: 400; }
.check input { margin-top: .2rem; flex: none; }
input:focus-visible, textarea:focus-visible, select:focus-visible { outline: 3px solid var(--focus); outline-offset: 1px; }
.field-invalid input, .field-invalid textarea, .field-invalid select, [aria-invalid="true"] { border-color: var(--danger); }
.field-error { color: var(--danger); margin: 0; font-size: .95rem; }
.hint { color: var(--muted); margin: 0; font-size: .9rem; }
button, .button { font: inherit; font-weight: 600; padding: .5rem 1rem; min-height: 2.5rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: var(--accent-fg); cursor: pointer; text-decoration: none; display: inline-block; line-height: 1.4; }
button.secondary, .button.secondary { background: transparent; color: var(--accent); }
button.danger, .button.danger { background: var(--danger); border-color: var(--danger); color: var(--danger-fg); }
button:hover, .button:hover { filter: brightness(1.08); }
.inline-form { display: inline; }
.confirm-form { display: inline-flex; flex-wrap: wrap; gap: .5rem .75rem; align-items: center; margin: .25rem 0; padding: .5rem .75rem; border: 1px solid var(--line); border-left: 4px solid var(--danger); border-radius: 6px; }
.confirm-form .check { font-size: .95rem; }
.notice { padding: .75rem 1rem; border-radius: 6px; margin: 0 0 1rem; border: 1px solid var(--line); }
.notice-error { border-color: var(--danger); background: rgba(179,38,30,.08); }
.notice-success { border-color: var(--ok); background: rgba(30,107,37,.08); }
.notice-info { background: rgba(31,79,184,.06); }
.course-search { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-bottom: 1.5rem; }
.course-search input[type="search"] { flex: 1 1 14rem; min-width: 0; }

/* The home page and the dashboard. */
.hero { padding: 1.5rem 0 1rem; }
.hero h1 { font-size: clamp(1.7rem, 5vw, 2.4rem); }
.hero p { font-size: 1.1rem; max-width: 40rem; }
.hero .course-search { max-width: 36rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 17rem), 1fr)); gap: 1rem; }
.card { padding: 1rem 1.1rem; border: 1px solid var(--line); border-radius: 10px; background: var(--panel); min-width: 0; }
.cards > section { margin-top: 0; }
.card h2, .card h3 { margin: 0 0 .5rem; font-size: 1.15rem; }
.card ul { margin: 0; padding-left: 1.1rem; }
.card li + li { margin-top: .35rem; }
.card .more { margin: .75rem 0 0; }
.error-page { max-width: 40rem; }
ul.badges { list-style: none; padding: 0; display: grid; gap: .75rem; }
ul.badges li { display: flex; flex-wrap: wrap; gap: .25rem .6rem; align-items: center; }
ul.badges img { flex: none; border-radius: 8px; }
.guide table { display: block; overflow-x: auto; }
.guide pre { overflow-x: auto; }
.error-page .status { color: var(--muted); font-weight: 600; margin: 0; }
`;
