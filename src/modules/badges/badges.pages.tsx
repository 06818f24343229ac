import type { Deps } from '../../deps.ts';
import { CsrfField, Field, Notice, renderPage } from '../../web/index.ts';
import type { User } from '../identity/index.ts';
import { type backpackJson, listBackpack, MAX_BAKED_BYTES, MAX_JSON_CHARS } from './badges.backpack.ts';
import { userAwards } from './badges.native.ts';

export type ProfileAward = Awaited<ReturnType<typeof userAwards>>[number];

/** Loads what the profile's badge section shows. */
export function profileBadges(deps: Deps, user: User): Promise<ProfileAward[]> {
  return userAwards(deps, user);
}

/** The badges section of a profile page: each badge with its verify link and baked downloads. */
export function ProfileBadges({ awards }: { awards: readonly ProfileAward[] }) {
  if (awards.length === 0) return <p class="muted">No badges yet.</p>;
  return (
    <ul class="badges">
      {awards.map((a) => (
        <li>
          {a.badge.image_url ? <img src={a.badge.image_url} alt="" width={64} height={64} /> : null}
          <strong>{a.badge.name}</strong> <span class="muted">{a.issued_on.slice(0, 10)}</span>{' '}
          <a href={a.verify_url}>Verify</a> · <a href={a.image_png_url}>Baked PNG</a> ·{' '}
          <a href={a.image_svg_url}>SVG</a>
        </li>
      ))}
    </ul>
  );
}

/** The profile's badge section, loaded and rendered (identity's profile page calls this). */
export async function renderBadges(deps: Deps, user: User) {
  const [awards, imported] = await Promise.all([profileBadges(deps, user), listBackpack(deps, user.id)]);
  return (
    <>
      <ProfileBadges awards={awards} />
      {imported.length > 0 ? (
        <>
          <h3>From elsewhere (verified)</h3>
          <ul class="badges">
            {imported.map((b) => (
              <li>
                {b.image_url ? <img src={b.image_url} alt="" width={64} height={64} /> : null}
                <strong>{b.name}</strong>
                {b.issuer_name ? <span class="muted"> · {b.issuer_name}</span> : null}{' '}
                {b.source_id.startsWith('http') ? (
                  <a href={b.source_id}>Verify</a>
                ) : (
                  <span class="muted">{b.format.toUpperCase()}</span>
                )}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

export type BackpackView = ReturnType<typeof backpackJson>;

export interface BackpackPageProps {
  readonly csrf: string;
  readonly emailVerified: boolean;
  readonly awards: readonly ProfileAward[];
  readonly imported: readonly BackpackView[];
  readonly notice?: string | undefined;
  /** Why the last import or check failed (the verification result, in words). */
  readonly error?: string | undefined;
  /** What was typed into the form, shown again after a failed import. */
  readonly values?: { readonly url?: string | undefined; readonly json?: string | undefined } | undefined;
}

const HOW: Record<string, string> = {
  ob3: 'Open Badges 3.0 credential: its Data Integrity proof checks out and it names your email',
  ob2: 'Open Badges 2.0 assertion: its issuer still hosts it, unrevoked, for your email',
};

function Awarded({ awards }: { awards: readonly ProfileAward[] }) {
  if (awards.length === 0) return <p class="muted">No badges awarded to you here yet.</p>;
  return (
    <ul class="badges" aria-label="Awarded on Learnhub">
      {awards.map((a) => {
        const credential = `/ob/v3/credentials/${encodeURIComponent(a.id)}`;
        return (
          <li data-award={a.id}>
            {a.badge.image_url ? <img src={a.badge.image_url} alt="" width={64} height={64} /> : null}
            <strong>{a.badge.name}</strong> <span class="muted">awarded {a.issued_on.slice(0, 10)}</span>
            <br />
            <a href={a.verify_url}>Verify</a> · Download:{' '}
            <a href={a.image_png_url} download>
              baked PNG
            </a>{' '}
            ·{' '}
            <a href={a.image_svg_url} download>
              baked SVG
            </a>{' '}
            ·{' '}
            <a href={credential} download>
              credential (OB 3.0 JSON)
            </a>{' '}
            ·{' '}
            <a href={`${credential}/image.png`} download>
              credential in PNG
            </a>
          </li>
        );
      })}
    </ul>
  );
}

function Imported({ csrf, imported }: { csrf: string; imported: readonly BackpackView[] }) {
  if (imported.length === 0) return <p class="muted">Nothing imported yet.</p>;
  return (
    <ul class="badges" aria-label="Imported badges">
      {imported.map((b) => (
        <li data-imported={b.id}>
          {b.image_url ? <img src={b.image_url} alt="" width={64} height={64} /> : null}
          <strong>{b.name}</strong>
          {b.issuer_name ? <span class="muted"> · {b.issuer_name}</span> : null}
          <br />
          <span class="verified">
            Verified {b.verified_at.slice(0, 16).replace('T', ' ')} UTC — {HOW[b.format] ?? b.format}.
          </span>{' '}
          {b.source_id.startsWith('https://') || b.source_id.startsWith('http://') ? (
            <a href={b.source_id}>Source</a>
          ) : null}{' '}
          <form method="post" action={`/account/badges/${b.id}/check`} class="inline-form">
            <CsrfField token={csrf} />
            <button type="submit" class="secondary">
              Check again
            </button>
          </form>{' '}
          <form method="post" action={`/account/badges/${b.id}/remove`} class="inline-form">
            <CsrfField token={csrf} />
            <button type="submit" class="secondary">
              Remove
            </button>
          </form>
        </li>
      ))}
    </ul>
  );
}

/** The backpack page: badges awarded here (verify, download) and badges imported from elsewhere. */
export function BackpackPage(view: BackpackPageProps): string {
  return renderPage({
    title: 'Your badges',
    signedIn: true,
    children: (
      <>
        <h1>Your badges</h1>
        {view.notice ? <Notice kind="success">{view.notice}</Notice> : null}
        {view.error ? <Notice kind="error">{view.error}</Notice> : null}
        {view.emailVerified ? null : (
          <Notice kind="info">
            Badges follow your email address: confirm it (see <a href="/account">your account</a>) to see the
            badges awarded to it and to import badges.
          </Notice>
        )}
        <h2>Awarded on Learnhub</h2>
        <Awarded awards={view.awards} />
        <h2>Imported from elsewhere</h2>
        <Imported csrf={view.csrf} imported={view.imported} />
        <h2>Import a badge</h2>
        <p>
          Give one of: a baked badge image (PNG or SVG, up to {MAX_BAKED_BYTES / 1024} KB), the URL of an Open
          Badges 2.0 assertion, or an Open Badges 3.0 credential (JSON). It is kept only if it verifies and
          was issued to your email address.
        </p>
        <form class="stack" method="post" action="/account/badges" enctype="multipart/form-data">
          <CsrfField token={view.csrf} />
          <div class="field">
            <label for="field-file">Baked badge image</label>
            <input id="field-file" name="file" type="file" accept="image/png,image/svg+xml,.png,.svg" />
          </div>
          <Field
            name="url"
            type="url"
            label="Assertion URL"
            required={false}
            maxLength={2000}
            value={view.values?.url}
          />
          <div class="field">
            <label for="field-json">Credential JSON</label>
            <textarea id="field-json" name="json" rows={6} maxLength={MAX_JSON_CHARS}>
              {view.values?.json ?? ''}
            </textarea>
          </div>
          <button type="submit">Import and verify</button>
        </form>
      </>
    ),
  });
}
