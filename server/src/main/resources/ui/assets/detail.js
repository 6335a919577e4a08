// The detail panel of one event: everything it holds, as text, plus in-browser verification.
import { el, replace } from './dom.js';
import { actionText, actorName, exact, own, statusLabel, typeLabel, valueText } from './format.js';
import { leafHash, verifyProof } from './verify.js';
import { api, explain } from './api.js';

/** A link for a resource: the configured template for its type, else its own URL; http(s) only. */
export function resourceLink(resource, templates) {
  if (!resource) return null;
  const template = own(templates, resource.type);
  const url = typeof template === 'string' && resource.id ? template.replaceAll('{id}', encodeURIComponent(resource.id)).replaceAll('{type}', encodeURIComponent(resource.type)) : resource.url;
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

/** The value at a dotted path of own properties (so "constructor" or "toString" in a path is just a missing field). */
function at(obj, path) {
  let v = obj;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, k)) return undefined;
    v = v[k];
  }
  return v;
}

const pretty = (v) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));

function facts(rows) {
  return el('dl', { class: 'facts' }, rows.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)]));
}

function section(title, ...content) {
  return el('section', { class: 'd-section' }, el('h3', { text: title }), ...content);
}

function headers(title, h) {
  if (!h || !Object.keys(h).length) return null;
  return el('div', {}, el('h4', { text: title }), el('table', { class: 'kv' }, el('tbody', {}, Object.entries(h).map(([k, v]) => el('tr', {}, el('th', { text: k }), el('td', { text: Array.isArray(v) ? v.join(', ') : valueText(v) }))))));
}

function body(title, b) {
  return b === undefined ? null : el('div', {}, el('h4', { text: title }), el('pre', { class: 'code', text: pretty(b) }));
}

function changes(c) {
  const fields = c.fields ?? [...new Set([...Object.keys(c.before ?? {}), ...Object.keys(c.after ?? {})])];
  if (!fields.length) return el('p', { class: 'muted', text: 'No field changed.' });
  return el('table', { class: 'diff' },
    el('thead', {}, el('tr', {}, el('th', { text: 'Field' }), el('th', { text: 'Before' }), el('th', { text: 'After' }))),
    el('tbody', {}, fields.map((f) => el('tr', { dataset: { field: f } },
      el('th', { text: f }),
      el('td', { class: 'before' }, el('del', { text: valueText(at(c.before ?? {}, f)) })),
      el('td', { class: 'after' }, el('ins', { text: valueText(at(c.after ?? {}, f)) }))))));
}

/** Fills the panel for event {@code e}; {@code cfg} is the page configuration. */
export function renderDetail(node, titleNode, e, cfg) {
  replace(titleNode, actionText(e.action));
  const actor = e.actor ?? { type: 'system', name: 'System' };
  const link = resourceLink(e.resource, cfg.resource_urls);
  const resource = e.resource
    ? el('span', {}, `${e.resource.type ?? ''} `, link ? el('a', { href: link, target: '_blank', rel: 'noopener noreferrer', text: e.resource.name || e.resource.id || link }) : e.resource.name || '', e.resource.id ? el('small', { class: 'muted', text: ` #${e.resource.id}` }) : '')
    : undefined;
  const parts = [
    el('p', { class: 'd-summary', text: e.summary ?? '' }),
    facts([
      ['Category', e.category],
      ['Type', typeLabel(e.type)],
      ['Status', el('span', { class: `status st-${e.status}`, text: statusLabel(e.status) })],
      ['Action', e.action],
      ['Actor', `${actorName(actor)}${actor.email && actor.email !== actorName(actor) ? ` <${actor.email}>` : ''} (${actor.type ?? 'user'}${actor.id ? ` ${actor.id}` : ''})`],
      ['IP address', e.context?.ip],
      ['Device', e.context?.user_agent],
      ['Location', e.context?.location === undefined ? undefined : valueText(e.context.location)],
      ['Time', exact(e.time)],
      ['Resource', resource],
      ['Layer', e.layer],
      ['Request id', e.context?.request_id],
    ]),
  ];
  if (e.changes) parts.push(section('What changed', changes(e.changes)));
  if (e.http) {
    const h = e.http;
    parts.push(section('API call',
      facts([['Request', `${h.method ?? ''} ${h.url ?? ''}`.trim()], ['Status code', h.status_code === undefined ? undefined : String(h.status_code)], ['Latency', h.latency_ms === undefined ? undefined : `${h.latency_ms} ms`]]),
      headers('Request headers', h.request?.headers), body('Request body', h.request?.body),
      headers('Response headers', h.response?.headers), body('Response body', h.response?.body)));
  }
  if (e.webhook) {
    const w = e.webhook;
    parts.push(section('Webhook delivery',
      facts([['Event', w.event], ['Endpoint', w.endpoint], ['Retries', w.retry_count === undefined ? undefined : String(w.retry_count)]]),
      w.attempts?.length ? el('table', { class: 'attempts' },
        el('thead', {}, el('tr', {}, ['#', 'At', 'Status', 'Latency', 'Error'].map((t) => el('th', { text: t })))),
        el('tbody', {}, w.attempts.map((a, i) => el('tr', { class: a.error || a.status_code >= 400 ? 'bad' : '' },
          el('td', { text: i + 1 }), el('td', { text: exact(a.at) }), el('td', { text: a.status_code ?? '' }),
          el('td', { text: a.latency_ms === undefined ? '' : `${a.latency_ms} ms` }), el('td', { text: a.error ?? '' }))))) : null));
  }
  if (e.job) {
    const j = e.job;
    parts.push(section('Background job', facts([['Name', j.name], ['Trigger', j.trigger], ['Duration', j.duration_ms === undefined ? undefined : `${j.duration_ms} ms`], ['Processed', j.processed === undefined ? undefined : String(j.processed)]])));
  }
  const error = e.error ?? e.job?.error;
  if (error) parts.push(section('Error', facts([['Message', error.message], ['Type', error.type]]), error.stack ? el('pre', { class: 'code stack', text: error.stack }) : null));
  if (e.metadata && Object.keys(e.metadata).length) parts.push(section('Details', el('pre', { class: 'code', text: JSON.stringify(e.metadata, null, 2) })));
  parts.push(integrity(e, cfg));
  replace(node, parts);
}

function integrity(e, cfg) {
  const leaf = el('code', { class: 'hash', text: '…' });
  leafHash(new TextEncoder().encode(JSON.stringify(e))).then((h) => {
    leaf.textContent = Array.from(h, (x) => x.toString(16).padStart(2, '0')).join('');
  });
  const result = el('div', { id: 'verify-result', class: 'verify-result', role: 'status' });
  const button = el('button', { type: 'button', id: 'verify', text: 'Verify' });
  button.addEventListener('click', () => runVerify(e, cfg, button, result));
  if (!cfg.features?.proof) {
    button.disabled = true;
    result.textContent = 'Verification needs a server with inclusion proofs (GET /v1/events/{id}/proof).';
  }
  return section('Integrity',
    facts([['Position (seq)', String(e.seq)], ['Entry id', e.id], ['Leaf hash', leaf], ['Previous entry hash', el('code', { class: 'hash', text: e.prev_hash })]]),
    el('p', { class: 'muted', text: 'Verify fetches this entry’s inclusion proof and the signed checkpoint and checks them here in your browser.' }),
    button, result);
}

async function runVerify(e, cfg, button, result) {
  button.disabled = true;
  replace(result, 'Verifying…');
  result.className = 'verify-result';
  try {
    const proof = await api(`/v1/events/${encodeURIComponent(e.id)}/proof`);
    let key = null;
    if (cfg.features?.log_key) {
      const res = await fetch('/v1/log/key', { credentials: 'same-origin' });
      if (res.ok) key = await res.text();
    }
    const outcome = await verifyProof(proof, e, key);
    result.className = `verify-result ${outcome.ok ? 'ok' : 'bad'}`;
    replace(result,
      el('strong', { class: 'verdict', text: outcome.ok ? '✓ Verified' : '✗ Verification failed' }),
      el('ul', {}, outcome.steps.map((s) => el('li', { class: s.ok === true ? 'ok' : s.ok === false ? 'bad' : 'skip', text: `${s.ok === true ? '✓' : s.ok === false ? '✗' : '–'} ${s.text}` }))));
  } catch (err) {
    result.className = 'verify-result bad';
    replace(result, el('strong', { class: 'verdict', text: '✗ Could not verify' }), ` ${explain(err)}`);
  } finally {
    button.disabled = false;
  }
}
