import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { FeedList, type FeedView } from './activity.pages.tsx';
import type { ActivityRow } from './activity.repository.ts';
import {
  dayLabel,
  exactTime,
  groupByDay,
  readableUrl,
  relativeTime,
  sentenceOf,
  sentenceText,
  verbPhrase,
} from './activity.sentences.ts';

const ADA = 'https://hub.example/u/ada_l';
const SOGTA = 'https://hub.example/courses/SOGTA';
const COMMENT = 'https://mooc.example/sogta/comments/42';
const base = { actorUrl: ADA, verb: 'post', object: COMMENT, course: SOGTA, message: null, appId: 'app-1' };
const names = { actor: 'Ada', object: 'a comment', course: 'SOGTA', app: 'Open MOOC' };

describe('activity sentences', () => {
  it('says who did what to which object in which course', () => {
    const s = sentenceOf(base, names);
    expect(sentenceText(s)).toBe('Ada posted a comment in SOGTA');
    expect(s.actor.href).toBe(ADA);
    expect(s.object.href).toBe(COMMENT);
    expect(s.course).toEqual({ text: 'SOGTA', href: SOGTA });
    expect(s.app).toBe('Open MOOC');
  });

  it.each([
    ['post', 'posted'],
    ['join', 'joined'],
    ['complete', 'completed'],
    ['earn', 'earned'],
    ['comment', 'commented on'],
    ['enrol', 'enrolled in'],
    ['Submit', 'submitted'],
    ['xapi:completed', 'completed'],
    ['http://adlnet.gov/expapi/verbs/attempted', 'attempted'],
  ])('puts the verb %j in the past tense as %j', (verb, phrase) => {
    expect(verbPhrase(verb)).toEqual({ phrase, known: true });
  });

  it('quotes an unknown verb instead of guessing its past tense', () => {
    expect(verbPhrase('frobnicate')).toEqual({ phrase: 'did “frobnicate” with', known: false });
    expect(verbPhrase('peer_assess')).toEqual({ phrase: 'did “peer assess” with', known: false });
    expect(sentenceText(sentenceOf({ ...base, verb: 'frobnicate' }, names))).toBe(
      'Ada did “frobnicate” with a comment in SOGTA',
    );
  });

  it('names the course once when the object is the course (joined SOGTA)', () => {
    const s = sentenceOf({ ...base, verb: 'join', object: SOGTA }, { ...names, object: undefined });
    expect(sentenceText(s)).toBe('Ada joined SOGTA');
    expect(s.object.href).toBe(SOGTA);
    expect(s.course).toBeNull();
  });

  it('falls back to the username, a readable URL, and the app for missing names', () => {
    const s = sentenceOf(base, { app: 'Open MOOC' });
    expect(sentenceText(s)).toBe('ada_l posted mooc.example/sogta/comments/42 in hub.example/courses/SOGTA');
    const anonymous = sentenceOf({ ...base, actorUrl: null }, { app: 'Open MOOC' });
    expect(anonymous.actor).toEqual({ text: 'Open MOOC', href: null });
    expect(sentenceText(sentenceOf({ ...base, course: null }, { app: 'x', actor: '  ' }))).toBe(
      'ada_l posted mooc.example/sogta/comments/42',
    );
  });

  it("uses the app's title of the object as the link text, in quotation marks", () => {
    const titled = { ...base, objectName: 'Week 2 sketches' };
    const s = sentenceOf(titled, { actor: 'Ada', course: 'SOGTA', app: 'Open MOOC' });
    expect(sentenceText(s)).toBe('Ada posted “Week 2 sketches” in SOGTA');
    expect(s.object).toEqual({ text: 'Week 2 sketches', href: COMMENT, quoted: true });
    // The hub's own title of the object (its course, its badge) wins; a blank title falls back to the URL.
    expect(sentenceText(sentenceOf(titled, names))).toBe('Ada posted a comment in SOGTA');
    expect(sentenceText(sentenceOf({ ...base, objectName: '  ' }, { actor: 'Ada', app: 'x' }))).toBe(
      'Ada posted mooc.example/sogta/comments/42 in hub.example/courses/SOGTA',
    );
  });

  it("keeps an app's own sentence as a summary, but not the hub's (it repeats the sentence)", () => {
    const message = 'Ada posted a comment in the MOOC SOGTA';
    expect(sentenceOf({ ...base, message }, names).summary).toBe(message);
    expect(sentenceOf({ ...base, message, appId: null }, names).summary).toBeNull();
    expect(sentenceOf({ ...base, message: 'Ada posted a comment in SOGTA' }, names).summary).toBeNull();
  });

  it('shortens long URLs in the middle and leaves non-URLs alone', () => {
    expect(readableUrl('https://mooc.example/')).toBe('mooc.example');
    expect(readableUrl('https://mooc.example/a/very/long/path/that/goes/on/and/on/to/item-7')).toBe(
      'mooc.example/…/item-7',
    );
    expect(readableUrl('https://mooc.example/caf%C3%A9')).toBe('mooc.example/café');
    expect(readableUrl('not a url')).toBe('not a url');
  });
});

describe('relative times and days', () => {
  const now = new Date('2026-03-05T12:00:00Z');
  it.each([
    ['2026-03-05T11:59:30Z', 'just now'],
    ['2026-03-05T12:00:30Z', 'just now'],
    ['2026-03-05T11:59:00Z', '1 minute ago'],
    ['2026-03-05T11:15:00Z', '45 minutes ago'],
    ['2026-03-05T09:00:00Z', '3 hours ago'],
    ['2026-03-04T12:00:00Z', '1 day ago'],
    ['2026-02-20T12:00:00Z', '1 week ago'],
    ['2025-01-05T12:00:00Z', '1 year ago'],
  ])('says %s was %j', (at, text) => {
    expect(relativeTime(new Date(at), now)).toBe(text);
  });

  it('labels days Today, Yesterday, then by date, and groups consecutive items by day', () => {
    expect(dayLabel(new Date('2026-03-05T00:01:00Z'), now)).toBe('Today');
    expect(dayLabel(new Date('2026-03-04T23:59:00Z'), now)).toBe('Yesterday');
    expect(dayLabel(new Date('2026-03-01T10:00:00Z'), now)).toBe('1 March 2026');
    expect(exactTime(new Date('2026-03-01T10:00:00Z'))).toBe('1 March 2026, 10:00 UTC');
    const at = [
      '2026-03-05T10:00:00Z',
      '2026-03-05T09:00:00Z',
      '2026-03-04T09:00:00Z',
      '2026-03-01T09:00:00Z',
    ];
    const groups = groupByDay(at, (s) => new Date(s), now);
    expect(groups.map((g) => [g.label, g.items.length])).toEqual([
      ['Today', 2],
      ['Yesterday', 1],
      ['1 March 2026', 1],
    ]);
  });
});

describe('the rendered feed', () => {
  const row = (over: Partial<ActivityRow>): ActivityRow => ({
    id: '00000000-0000-4000-8000-000000000001',
    appId: 'app-1',
    appActivityId: null,
    sourceEventId: null,
    actorUserId: 'user-1',
    actorUrl: ADA,
    verb: 'post',
    verbUrl: null,
    object: COMMENT,
    objectName: null,
    target: null,
    course: SOGTA,
    message: null,
    contentHash: 'x',
    publishedAt: new Date('2026-03-05T09:00:00Z'),
    createdAt: new Date('2026-03-05T09:00:00Z'),
    updatedAt: new Date('2026-03-05T09:00:00Z'),
    deletedAt: null,
    ...over,
  });
  const view = (items: ActivityRow[], people: [string, string][]): FeedView => ({
    items,
    appNames: new Map([['app-1', 'Open <b>MOOC</b>']]),
    names: { people: new Map(people), titles: new Map([[SOGTA, 'SOGTA & <i>friends</i>']]) },
    now: new Date('2026-03-05T12:00:00Z'),
    deletable: () => false,
    moreHref: null,
    privateNote: false,
    settingsHref: null,
  });

  it('renders a linked sentence, a relative time with the exact one, the app, and a day heading', () => {
    const html = renderToString(FeedList(view([row({})], [['user-1', 'Ada']])));
    expect(html).toContain(`<a href="${ADA}">Ada</a> posted <a href="${COMMENT}">`);
    expect(html).toContain(`in <a href="${SOGTA}">SOGTA &amp; &lt;i>friends&lt;/i></a>`);
    expect(html).toContain(
      '<time datetime="2026-03-05T09:00:00.000Z" title="5 March 2026, 09:00 UTC">3 hours ago</time>',
    );
    expect(html).toContain('Open &lt;b>MOOC&lt;/b>');
    expect(html).toContain('>Today</h3>');
    expect(html).not.toContain('via ');
  });

  it("renders the app's title as the escaped link text in quotation marks, or the short URL without one", () => {
    const titled = row({ objectName: 'Week 2 <b>sketches</b>' });
    const html = renderToString(FeedList({ ...view([titled], [['user-1', 'Ada']]), deletable: () => true }));
    expect(html).toContain(`posted “<a href="${COMMENT}">Week 2 &lt;b>sketches&lt;/b></a>”`);
    expect(html).toContain('aria-label="Delete “Ada posted “Week 2 &lt;b>sketches&lt;/b>” in SOGTA');
    const bare = renderToString(FeedList(view([row({})], [['user-1', 'Ada']])));
    expect(bare).toContain(`posted <a href="${COMMENT}">mooc.example/sogta/comments/42</a>`);
  });

  it('escapes HTML in names and summaries', () => {
    const html = renderToString(
      FeedList(
        view([row({ message: '<script>alert(1)</script>' })], [['user-1', '<img src=x onerror=alert(1)>']]),
      ),
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)>');
    expect(html).toContain('&lt;script>alert(1)&lt;/script>');
  });
});
