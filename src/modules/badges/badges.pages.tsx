import type { Deps } from '../../deps.ts';
import type { User } from '../identity/index.ts';
import { listBackpack } from './badges.backpack.ts';
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
