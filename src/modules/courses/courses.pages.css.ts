/**
 * The course pages' own styles, served at /assets/courses.css and linked from these pages (the site
 * stylesheet in src/web is shared by every page; these rules only make sense here).
 */
export const COURSES_CSS = `
.vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.crumbs { margin: 0 0 .5rem; font-size: .95rem; }
.course-register { display: grid; gap: 1.5rem; grid-template-columns: minmax(0, 1fr); }
.facets-side { display: none; }
.facets-mobile { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .75rem; margin-bottom: 1rem; }
.facets-mobile summary { font-weight: 600; padding: .25rem 0; }
.facet h2, .facet h3 { font-size: .95rem; margin: .75rem 0 .3rem; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.facet ul { list-style: none; margin: 0; padding: 0; font-size: .95rem; }
.facet li { margin: 0; }
.facet li a { display: inline-block; padding: .2rem 0; }
.facet details summary { font-size: .9rem; color: var(--muted); }
.result-bar { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: baseline; margin: 0 0 .75rem; }
.result-count { font-weight: 600; margin: 0; }
.chips { display: flex; flex-wrap: wrap; gap: .4rem; margin: 0; padding: 0; list-style: none; }
.chips a { display: inline-block; border: 1px solid var(--line); border-radius: 999px; padding: .1rem .6rem; font-size: .9rem; text-decoration: none; }
.course-list { list-style: none; margin: 0; padding: 0; }
.course-list > li { padding: .75rem 0; border-bottom: 1px solid var(--line); }
.course-list > li:first-child { padding-top: 0; }
.course-list h2 { font-size: 1.15rem; margin: 0 0 .2rem; }
.course-list p { margin: .2rem 0; }
.meta { color: var(--muted); font-size: .95rem; }
.pager a + a { margin-left: 1rem; }
.course-layout { display: grid; gap: 1.5rem; grid-template-columns: minmax(0, 1fr); }
.course-facts dl { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; margin: 0; }
.course-facts dt { color: var(--muted); }
.course-facts dd { margin: 0; overflow-wrap: anywhere; }
.course h1 { font-size: clamp(1.6rem, 6vw, 2.2rem); line-height: 1.25; overflow-wrap: anywhere; }
.course-facts { order: -1; border: 1px solid var(--line); border-radius: 6px; padding: 1rem; align-self: start; }
.course-description { overflow-wrap: anywhere; }
.tag-list { display: inline; margin: 0; padding: 0; list-style: none; }
.tag-list li { display: inline; }
.tag-list li + li::before { content: ", "; }
.join-form { display: grid; gap: 1rem; max-width: 32rem; border: 1px solid var(--line); border-radius: 6px; padding: 1rem; }
.join-form fieldset { border: 0; margin: 0; padding: 0; display: grid; gap: .4rem; }
.join-form legend { font-weight: 600; padding: 0; margin-bottom: .3rem; }
.join-form .choice { display: flex; gap: .5rem; align-items: flex-start; }
.join-form .choice input { margin-top: .35rem; }
.join-form .choice span { display: block; }
.organiser-tools { border-left: 3px solid var(--accent); padding: .25rem 0 .25rem 1rem; }
.related ul { padding-left: 1.2rem; }
@media (min-width: 50rem) {
  .course-register { grid-template-columns: 13rem minmax(0, 1fr); }
  .facets-side { display: block; font-size: .95rem; }
  .facets-mobile { display: none; }
  .course-layout { grid-template-columns: minmax(0, 1fr) 17rem; }
  .course-facts { order: 0; }
}
`;
