// Numbers, times and labels as people read them.

const numberFormat = new Intl.NumberFormat('en');

export function count(n) {
  return n === undefined || n === null ? '—' : numberFormat.format(n);
}

/** "3 min ago", "2 h ago", "5 d ago"; far dates as a date. */
export function relative(iso, now = Date.now()) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return String(iso ?? '');
  const s = Math.round((now - t) / 1000);
  if (s < 0) return 'in the future';
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  if (s < 30 * 86400) return `${Math.round(s / 86400)} d ago`;
  return new Date(t).toLocaleDateString('en', { year: 'numeric', month: 'short', day: 'numeric' });
}

/** The exact time, local and UTC. */
export function exact(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return String(iso ?? '');
  const local = new Date(t).toLocaleString('en', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return `${local} (${iso})`;
}

export function initials(name) {
  const words = String(name || '?').replace(/@.*/, '').split(/[\s._-]+/).filter(Boolean);
  return ((words[0]?.[0] ?? '?') + (words.length > 1 ? words[words.length - 1][0] : '')).toUpperCase();
}

export function actorName(actor) {
  if (!actor) return 'System';
  return actor.name || actor.email || actor.id || (actor.type === 'system' ? 'System' : 'Someone');
}

// Event values (type, status, category, field names…) are data, never property names: lookups
// go through Maps or own(), so a value such as "constructor" or "__proto__" is just an unknown key.

/** The known event types: type → [icon text, label]. */
export const TYPES = new Map([
  ['api_call', ['API', 'API call']],
  ['user_action', ['U', 'User action']],
  ['system_event', ['S', 'System event']],
  ['background_job', ['J', 'Background job']],
  ['webhook_delivery', ['W', 'Webhook delivery']],
  ['auth', ['A', 'Sign-in / auth']],
  ['security', ['!', 'Security']],
  ['error', ['E', 'Error']],
]);

/** The statuses: status → label. */
export const STATUSES = new Map([
  ['success', 'Success'],
  ['warning', 'Warning'],
  ['failure', 'Failure'],
  ['pending', 'Pending'],
  ['in_progress', 'In progress'],
]);

/** `obj[key]` if key is an own property of obj (never one inherited from Object.prototype), else undefined. */
export function own(obj, key) {
  return obj !== null && typeof obj === 'object' && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

export function typeLabel(type) {
  return TYPES.get(type)?.[1] ?? String(type ?? '').replace(/_/g, ' ');
}

export function statusLabel(status) {
  return STATUSES.get(status) ?? String(status ?? '');
}

/** "campaign.launched" → "Campaign launched"; "auth.login_failed" → "Auth login failed". */
export function actionText(action) {
  const words = String(action ?? '').replace(/[._]/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A value as one readable line: strings as they are, everything else as JSON. */
export function valueText(v) {
  if (v === undefined) return '(absent)';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}
