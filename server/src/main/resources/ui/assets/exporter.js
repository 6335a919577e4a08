// The Export dialog: format, columns and the current filters; starts an export job and follows
// its progress until the download link is ready.
import { el, replace, $ } from './dom.js';
import { api, explain } from './api.js';
import { count } from './format.js';

export const COLUMNS = ['time', 'type', 'action', 'category', 'status', 'actor.name', 'actor.email', 'actor.id', 'resource.type', 'resource.id', 'resource.name', 'context.ip', 'summary', 'seq', 'id'];
const DEFAULT_COLUMNS = new Set(['time', 'type', 'action', 'category', 'status', 'actor.name', 'actor.email', 'resource.type', 'resource.id', 'context.ip', 'summary']);
const FINISHED = new Set(['done', 'completed', 'succeeded', 'failed', 'error', 'cancelled']);

export class Exporter {
  constructor(available) {
    this.available = available;
    this.dialog = $('export-dialog');
    replace($('export-columns'), el('legend', { text: 'Columns (CSV)' }), COLUMNS.map((c) =>
      el('label', {}, el('input', { type: 'checkbox', name: 'column', value: c, checked: DEFAULT_COLUMNS.has(c) }), ` ${c}`)));
    $('export-start').addEventListener('click', () => this.start());
  }

  open(filters, description) {
    this.filters = filters;
    $('export-filters').textContent = description;
    const status = $('export-status');
    status.className = '';
    status.replaceChildren();
    if (!this.available) status.textContent = 'Exports are not available on this server yet (it has no POST /v1/exports).';
    $('export-start').disabled = !this.available;
    this.dialog.showModal();
  }

  async start() {
    const form = $('export-form');
    const format = form.querySelector('input[name=format]:checked').value;
    const columns = [...form.querySelectorAll('input[name=column]:checked')].map((c) => c.value);
    const status = $('export-status');
    $('export-start').disabled = true;
    replace(status, 'Starting the export…');
    try {
      const includeProof = $('export-proof').checked;
      let job = await api('/v1/exports', { method: 'POST', body: { format, columns, include_proof: includeProof, filters: Object.fromEntries(this.filters) } });
      while (job && !FINISHED.has(job.status)) {
        this.progress(job);
        await new Promise((r) => setTimeout(r, 1000));
        job = await api(`/v1/exports/${encodeURIComponent(job.id)}`);
      }
      this.finished(job);
    } catch (e) {
      status.className = 'bad';
      replace(status, `The export could not run: ${explain(e)}`);
    } finally {
      $('export-start').disabled = false;
    }
  }

  progress(job) {
    const done = job.exported ?? job.processed ?? job.progress?.done;
    const total = job.total ?? job.progress?.total;
    replace($('export-status'), `Export ${job.status ?? 'running'}${done !== undefined ? `: ${count(done)}${total ? ` of ${count(total)}` : ''} events` : '…'}`);
  }

  finished(job) {
    const status = $('export-status');
    if (job.status === 'failed' || job.status === 'error' || job.status === 'cancelled') {
      status.className = 'bad';
      replace(status, `The export ${job.status}: ${job.error?.message ?? job.error ?? 'no reason given'}`);
      return;
    }
    const href = job.download_url ?? job.url ?? `/v1/exports/${encodeURIComponent(job.id)}/download`;
    const n = job.exported ?? job.count ?? job.processed;
    status.className = 'ok';
    replace(status, `Export ready${n !== undefined ? ` (${count(n)} events)` : ''}: `, el('a', { id: 'export-link', href, download: '', text: 'Download' }));
  }
}
