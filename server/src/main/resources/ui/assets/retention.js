// The Retention dialog: how long the workspace's log is kept (policy, plan maximum, what the purger
// will do next, legal holds), and, for Owners and Admins, changing the policy within the plan.
import { el, replace, $ } from './dom.js';
import { api, explain } from './api.js';
import { count } from './format.js';

const PRESETS = [[30, '30 days'], [90, '90 days'], [365, '1 year'], [730, '2 years'], [2555, '7 years']];

/** "90 days", "1 year", "Unlimited". */
export function describeDays(days) {
  if (days === null || days === undefined) return 'Unlimited';
  const preset = PRESETS.find(([d]) => d === days);
  return preset ? preset[1] : `${count(days)} days`;
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

export class RetentionDialog {
  constructor() {
    this.dialog = $('retention-dialog');
    $('retention-choice').addEventListener('change', () => this.showCustom());
    $('retention-save').addEventListener('click', () => this.save());
  }

  async open(workspace) {
    this.workspace = workspace;
    this.message('');
    this.dialog.showModal();
    await Promise.all([this.load(), this.loadArchives()]);
  }

  async loadArchives() {
    const box = $('retention-archives');
    replace(box, el('p', { class: 'muted', text: 'Loading…' }));
    try {
      const a = await api(`/v1/workspaces/${encodeURIComponent(this.workspace)}/archives`);
      if (!a.target) {
        replace(box, el('p', { class: 'muted', text: 'No archive target on this server.' }));
        return;
      }
      replace(box, a.archives.length
        ? el('ul', {}, a.archives.map((x) => el('li', { class: 'archive', text: `${x.name} — ${count(x.bytes)} bytes${x.restored ? ' (restored as a view)' : ''}` })))
        : el('p', { class: 'muted', text: `No archives yet (target: ${a.target}).` }),
        a.restored.length ? el('button', { type: 'button', id: 'restored-show', onClick: () => this.showRestored() }, 'Show restored entries') : null,
        el('div', { id: 'restored-entries' }));
    } catch (e) {
      replace(box, el('p', { class: 'bad', text: `Archives could not be listed: ${explain(e)}` }));
    }
  }

  path() {
    return `/v1/workspaces/${encodeURIComponent(this.workspace)}/retention`;
  }

  async load() {
    replace($('retention-facts'), el('p', { class: 'muted', text: 'Loading…' }));
    try {
      this.render(await api(this.path()));
    } catch (e) {
      replace($('retention-facts'), el('p', { class: 'bad', text: `Retention could not be loaded: ${explain(e)}` }));
      $('retention-save').disabled = true;
    }
  }

  render(r) {
    this.current = r;
    const plan = r.plan ? `${r.plan.name} (at most ${describeDays(r.plan.max_days)})` : 'No plan (no maximum)';
    const oldest = r.oldest_retained ? `${when(r.oldest_retained.received_at)} (seq ${count(r.oldest_retained.seq)})` : 'No entries yet';
    const rows = [
      ['Kept for', describeDays(r.effective.days)],
      ['Plan', plan],
      ['Access trail kept for', describeDays(r.effective.audit_log_days)],
      ['Archive before purge', r.effective.archive ? 'Yes' : 'No'],
      ['Oldest retained entry', oldest],
      ['Purged before seq', count(r.purged_before)],
      ['Next purge', r.held ? 'Suspended by a legal hold' : when(r.next_purge_at)],
    ];
    replace($('retention-facts'), el('dl', { class: 'facts' }, rows.map(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })])));
    const holds = r.holds ?? [];
    replace($('retention-holds'), holds.length
      ? el('ul', {}, holds.map((h) => el('li', { text: `${h.reason} — since ${when(h.placed_at)}${h.ends_at ? `, until ${when(h.ends_at)}` : ''}` })))
      : el('p', { class: 'muted', text: 'No legal hold.' }));
    const days = r.policy?.days ?? null;
    const choice = days === null ? 'unlimited' : PRESETS.some(([d]) => d === days) ? String(days) : 'custom';
    replace($('retention-choice'), PRESETS.map(([d, label]) => el('option', { value: String(d), text: label })),
      el('option', { value: 'custom', text: 'Custom…' }), el('option', { value: 'unlimited', text: 'Unlimited' }));
    $('retention-choice').value = choice;
    $('retention-custom').value = choice === 'custom' ? String(days) : '';
    $('retention-archive').checked = Boolean(r.policy?.archive);
    $('retention-archive').disabled = !r.archive_available && !r.policy?.archive;
    $('retention-archive-note').hidden = r.archive_available;
    $('retention-save').disabled = false;
    this.showCustom();
  }

  /** The entries of the restored views: read-only, each marked as restored (never part of the live log). */
  async showRestored() {
    const box = $('restored-entries');
    replace(box, el('p', { class: 'muted', text: 'Loading…' }));
    try {
      const r = await api(`/v1/workspaces/${encodeURIComponent(this.workspace)}/restored/events?limit=100`);
      replace(box, r.entries.length
        ? el('ul', { class: 'restored' }, r.entries.map((x) => el('li', { class: 'restored-entry', dataset: { seq: String(x.seq) } },
          el('span', { class: 'pill', text: 'Restored' }), ` seq ${x.seq} · ${when(x.entry.received_at)} · ${x.entry.action} — ${x.entry.summary ?? ''}`,
          el('span', { class: 'muted', text: ` (from ${x.archive})` }))))
        : el('p', { class: 'muted', text: 'The restored views hold no entries.' }),
        r.next_after_seq !== null ? el('p', { class: 'muted', text: 'The first 100 are shown; the API pages through the rest.' }) : null);
    } catch (e) {
      replace(box, el('p', { class: 'bad', text: `Restored entries could not be read: ${explain(e)}` }));
    }
  }

  showCustom() {
    $('retention-custom-label').hidden = $('retention-choice').value !== 'custom';
  }

  chosenDays() {
    const choice = $('retention-choice').value;
    if (choice === 'unlimited') return null;
    if (choice === 'custom') return Number($('retention-custom').value);
    return Number(choice);
  }

  async save() {
    $('retention-save').disabled = true;
    try {
      const body = { days: this.chosenDays(), archive: $('retention-archive').checked };
      this.render(await api(this.path(), { method: 'PUT', body }));
      this.message(`Saved: entries are kept for ${describeDays(this.current.effective.days)}. The change is recorded in the log.`);
      this.dialog.dispatchEvent(new CustomEvent('retention-changed'));
    } catch (e) {
      const rules = (e.details ?? []).map((d) => d.problem).filter(Boolean);
      this.message(`Not saved: ${explain(e)}${rules.length ? ` (${rules.join('; ')})` : ''}`);
    } finally {
      $('retention-save').disabled = false;
    }
  }

  message(text) {
    $('retention-msg').textContent = text;
  }
}
