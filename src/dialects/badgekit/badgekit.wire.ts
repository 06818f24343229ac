import type {
  ApplicationRow,
  BadgekitWebhookEvent,
  BadgeView,
  ClaimCodeRow,
  ContainerView,
  EvidenceRow,
  InstanceRow,
  IssuerRow,
  MilestoneView,
  ProgramRow,
  ReviewItemRow,
  ReviewRow,
  SystemRow,
} from '../../modules/badges/index.ts';

/**
 * BadgeKit's JSON shapes (key order, 0/1 integers, millisecond ISO timestamps), for the API's bodies and for
 * the module's BadgeKit webhooks (badgekitWebhookBody, which app.ts hands to the badges module).
 */
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function systemJson(row: SystemRow, imageUrl: string | null, issuers: readonly IssuerRow[] = []) {
  return {
    id: row.id,
    slug: row.slug,
    url: row.url,
    name: row.name,
    email: row.email,
    imageUrl,
    issuers: issuers.map((i) => issuerJson(i, null)),
  };
}

export function issuerJson(row: IssuerRow, imageUrl: string | null, programs: readonly ProgramRow[] = []) {
  return {
    id: row.id,
    slug: row.slug,
    url: row.url,
    name: row.name,
    description: row.description,
    email: row.email,
    imageUrl,
    programs: programs.map((p) => programJson(p, null)),
  };
}

export function programJson(row: ProgramRow, imageUrl: string | null) {
  return {
    id: row.id,
    slug: row.slug,
    url: row.url,
    name: row.name,
    description: row.description,
    email: row.email,
    imageUrl,
  };
}

export function containerJson(view: ContainerView) {
  const { kind, row, imageUrl, children } = view;
  if (kind === 'system') return systemJson(row as SystemRow, imageUrl, children as IssuerRow[]);
  if (kind === 'issuer') return issuerJson(row as IssuerRow, imageUrl, children as ProgramRow[]);
  return programJson(row as ProgramRow, imageUrl);
}

export type BadgeJson = ReturnType<typeof badgeJson>;

export function badgeJson(view: BadgeView): Record<string, unknown> {
  const b = view.row;
  return {
    id: b.id,
    slug: b.slug,
    name: b.name,
    strapline: b.strapline,
    earnerDescription: b.earnerDescription,
    consumerDescription: b.consumerDescription,
    issuerUrl: b.issuerUrl,
    rubricUrl: b.rubricUrl,
    timeValue: b.timeValue,
    timeUnits: b.timeUnits,
    limit: b.limit,
    unique: b.unique ? 1 : 0,
    created: iso(b.created),
    imageUrl: view.imageUrl,
    type: b.type,
    archived: b.archived,
    ...(view.system ? { system: systemJson(view.system, null) } : {}),
    ...(view.issuer ? { issuer: issuerJson(view.issuer, null) } : {}),
    ...(view.program ? { program: programJson(view.program, null) } : {}),
    criteriaUrl: b.criteriaUrl,
    criteria: b.criteria.map((c) => ({
      id: c.id,
      description: c.description,
      required: c.required ? 1 : 0,
      note: c.note,
    })),
    alignments: b.alignments.map((a) => ({ id: a.id, name: a.name, url: a.url, description: a.description })),
    evidenceType: b.evidenceType,
    categories: b.categories,
    tags: b.tags.map((t) => ({ id: t.id, value: t.value })),
    milestones: view.milestones.map(milestoneJson),
  };
}

export function milestoneJson(m: MilestoneView): Record<string, unknown> {
  return {
    id: m.row.id,
    action: m.row.action,
    numberRequired: m.row.numberRequired,
    primaryBadge: m.primaryBadge ? badgeJson(m.primaryBadge) : null,
    supportBadges: m.supportBadges.map(badgeJson),
  };
}

export function claimCodeJson(c: ClaimCodeRow) {
  return { id: c.id, code: c.code, claimed: c.claimed, email: c.email, multiuse: c.multiuse };
}

export function instanceJson(i: InstanceRow, assertionUrl: string, badge: BadgeView | null, withCode = true) {
  return {
    slug: i.slug,
    email: i.email,
    expires: iso(i.expires),
    issuedOn: iso(i.issuedOn),
    ...(withCode || i.claimCode !== null ? { claimCode: i.claimCode } : {}),
    assertionUrl,
    badge: badge ? badgeJson(badge) : null,
  };
}

export function applicationJson(
  a: ApplicationRow,
  badge: BadgeView | null,
  evidence: readonly EvidenceRow[],
) {
  return {
    id: a.id,
    slug: a.slug,
    learner: a.learner,
    created: iso(a.created),
    assignedTo: a.assignedTo,
    assignedExpiration: iso(a.assignedExpiration),
    badge: badge ? badgeJson(badge) : null,
    processed: iso(a.processed),
    evidence: evidence.map((e) => ({ url: e.url, mediaType: e.mediaType, reflection: e.reflection })),
  };
}

export function reviewJson(r: ReviewRow, items: readonly ReviewItemRow[]) {
  return {
    id: r.id,
    slug: r.slug,
    author: r.author,
    comment: r.comment,
    reviewItems: items.map((i) => ({
      criterionId: i.criterionId,
      satisfied: i.satisfied ? 1 : 0,
      comment: i.comment,
    })),
  };
}

/** The body of a system's webhook, as BadgeKit sends it (issuedOn in Unix seconds). */
export function badgekitWebhookBody(event: BadgekitWebhookEvent): Record<string, unknown> {
  if (event.action === 'award') {
    const { instance, comment } = event;
    return {
      action: 'award',
      uid: instance.slug,
      badge: badgeJson(event.badge),
      email: instance.email,
      assertionUrl: event.assertionUrl,
      issuedOn: Math.floor(instance.issuedOn.getTime() / 1000),
      ...(comment === undefined ? {} : { comment }),
    };
  }
  if (event.action === 'revoke') {
    return {
      action: 'revoke',
      uid: event.instance.slug,
      badge: badgeJson(event.badge),
      email: event.instance.email,
    };
  }
  return {
    action: 'review',
    application: applicationJson(event.application, event.badge, []),
    review: reviewJson(event.review, event.items),
    approved: event.approved,
  };
}
