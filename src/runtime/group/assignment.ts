// The group leader's assignment of pipelines to workers: every pipeline to exactly one member,
// counts differing by at most one, and each pipeline left on the member that runs it whenever
// balance allows (a worker joining moves only the surplus; the others keep running).

export interface Candidate {
  memberId: string;
  /** Pipeline name → fingerprint of its plan, as the member's specs declare it. */
  pipelines: Record<string, string>;
  /** What the member runs now. */
  owned: string[];
}

/**
 * Member id → the pipelines it runs. A pipeline goes only to members whose fingerprint for it is
 * the one most members agree on, so a worker still on an older spec does not run it from that.
 */
export function assignPipelines(members: readonly Candidate[]): Map<string, string[]> {
  const sorted = [...members].sort((a, b) => compare(a.memberId, b.memberId));
  const agreed = agreedFingerprints(sorted);
  const eligible = (m: Candidate, pipeline: string) => agreed.has(pipeline) && m.pipelines[pipeline] === agreed.get(pipeline);
  const result = new Map<string, string[]>(sorted.map((m) => [m.memberId, []]));
  if (sorted.length === 0) return result;
  const pipelines = [...agreed.keys()].sort(compare);
  const base = Math.floor(pipelines.length / sorted.length);
  let bonus = pipelines.length % sorted.length;
  const owner = new Map<string, string>();
  const give = (m: Candidate, pipeline: string) => {
    owner.set(pipeline, m.memberId);
    result.get(m.memberId)?.push(pipeline);
  };
  // Sticky pass: members keep what they run up to their share; those holding more get the extra slots first.
  const byOwned = [...sorted].sort((a, b) => b.owned.length - a.owned.length || compare(a.memberId, b.memberId));
  for (const m of byOwned) {
    const keep = [...new Set(m.owned)].filter((p) => eligible(m, p) && !owner.has(p)).sort(compare);
    const cap = base + (bonus > 0 && keep.length > base ? 1 : 0);
    if (cap > base) bonus--;
    for (const p of keep.slice(0, cap)) give(m, p);
  }
  // The rest go to the least loaded member that can run them.
  const count = (m: Candidate) => result.get(m.memberId)?.length ?? 0;
  for (const pipeline of pipelines.filter((p) => !owner.has(p))) {
    const able = sorted.filter((m) => eligible(m, pipeline)).sort((a, b) => count(a) - count(b) || compare(a.memberId, b.memberId));
    const underShare = able.find((m) => count(m) < base || (count(m) === base && bonus > 0));
    const chosen = underShare ?? able[0];
    if (!chosen) continue;
    if (underShare && count(underShare) === base) bonus--;
    give(chosen, pipeline);
  }
  return result;
}

/** For each pipeline, the fingerprint the most members declare (ties: the smallest, so every leader agrees). */
function agreedFingerprints(members: readonly Candidate[]): Map<string, string> {
  const votes = new Map<string, Map<string, number>>();
  for (const m of members) {
    for (const [pipeline, fingerprint] of Object.entries(m.pipelines)) {
      const tally = votes.get(pipeline) ?? new Map<string, number>();
      tally.set(fingerprint, (tally.get(fingerprint) ?? 0) + 1);
      votes.set(pipeline, tally);
    }
  }
  const agreed = new Map<string, string>();
  for (const [pipeline, tally] of votes) {
    const [best] = [...tally].sort((a, b) => b[1] - a[1] || compare(a[0], b[0]));
    if (best) agreed.set(pipeline, best[0]);
  }
  return agreed;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
