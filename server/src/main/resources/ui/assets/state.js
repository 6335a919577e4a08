// The filter state: read from and written to the page's URL (so a view can be bookmarked and
// shared), and turned into the API's query parameters.

export const RANGES = ['24h', '7d', '30d', '90d', 'custom'];
const DEFAULT_BUCKET = { '24h': 'hour', '7d': 'day', '30d': 'day', '90d': 'week', custom: 'day' };
const TEXT_FIELDS = ['category', 'actor', 'resource_type', 'resource_id', 'q', 'from', 'to'];
const LIST_FIELDS = ['type', 'status'];

export function defaults() {
  return { range: '7d', scope: 'mine', category: '', type: [], status: [], actor: '', resource_type: '', resource_id: '', q: '', from: '', to: '', bucket: '' };
}

/** The state a query string describes; unknown or bad values fall back to the defaults. */
export function fromQuery(search) {
  const p = new URLSearchParams(search);
  const s = defaults();
  if (RANGES.includes(p.get('range'))) s.range = p.get('range');
  if (p.get('scope') === 'workspace') s.scope = 'workspace';
  for (const f of TEXT_FIELDS) s[f] = p.get(f) ?? '';
  for (const f of LIST_FIELDS) s[f] = (p.get(f) ?? '').split(',').filter(Boolean);
  if (['hour', 'day', 'week'].includes(p.get('bucket'))) s.bucket = p.get('bucket');
  if (s.range === 'custom' && !(s.from && s.to)) s.range = '7d';
  return s;
}

/** The query string of a state, leaving defaults out so links stay short. */
export function toQuery(s) {
  const p = new URLSearchParams();
  if (s.range !== '7d') p.set('range', s.range);
  if (s.range === 'custom') {
    p.set('from', s.from);
    p.set('to', s.to);
  }
  if (s.scope !== 'mine') p.set('scope', s.scope);
  for (const f of ['category', 'actor', 'resource_type', 'resource_id', 'q']) if (s[f]) p.set(f, s[f]);
  for (const f of LIST_FIELDS) if (s[f].length) p.set(f, s[f].join(','));
  if (s.bucket) p.set('bucket', s.bucket);
  return p.toString();
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The bucket asked for, else the preset's; a custom window gets what the server would choose for its length. */
export function bucketOf(s) {
  if (s.bucket) return s.bucket;
  if (s.range !== 'custom') return DEFAULT_BUCKET[s.range];
  const span = Date.parse(s.to) - Date.parse(s.from);
  if (!(span > 0)) return DEFAULT_BUCKET.custom;
  return span <= DAY ? 'hour' : span <= 30 * DAY ? 'day' : 'week';
}

/** The API filter parameters shared by /v1/events, /v1/stats, the live stream and exports. */
export function filterParams(s) {
  const p = new URLSearchParams();
  if (s.range === 'custom') {
    p.set('from', s.from);
    p.set('to', s.to);
  } else {
    p.set('range', s.range);
  }
  for (const f of ['category', 'resource_type', 'resource_id', 'q']) if (s[f]) p.set(f, s[f]);
  for (const f of LIST_FIELDS) if (s[f].length) p.set(f, s[f].join(','));
  // "mine" is the signed-in person, whom the server knows; another actor applies to the workspace scope only
  if (s.scope === 'mine') p.set('scope', 'mine');
  else if (s.actor) p.set('actor', s.actor);
  return p;
}

/** The filters in words, for the export dialog. */
export function describe(s) {
  const parts = [s.range === 'custom' ? `${s.from} to ${s.to}` : `last ${s.range}`, s.scope === 'mine' ? 'my activity' : 'whole workspace'];
  if (s.category) parts.push(`category ${s.category}`);
  if (s.type.length) parts.push(`type ${s.type.join(' or ')}`);
  if (s.status.length) parts.push(`status ${s.status.join(' or ')}`);
  if (s.actor && s.scope !== 'mine') parts.push(`actor ${s.actor}`);
  if (s.resource_type || s.resource_id) parts.push(`resource ${s.resource_type} ${s.resource_id}`.trim());
  if (s.q) parts.push(`search “${s.q}”`);
  return parts.join(', ');
}
