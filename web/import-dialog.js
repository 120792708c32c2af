// Import of accounts from a spreadsheet: dry run first, show the report, then apply.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';

import { uploadFile } from './api.js';
import { Dialog, ErrorMessage, useId } from './components.js';

const applyModes = [
  { value: 'valid-rows', label: 'Import the valid rows, skip rows with errors' },
  { value: 'all-or-nothing', label: 'Import nothing unless every row is valid' },
];

/** Renders the counts and row errors of an import response. */
function ImportReport({ report, title }) {
  const counts = ['created', 'updated', 'unchanged', 'skipped'];
  return html`<section class="import-report" aria-label=${title}>
    <h3>${title}</h3>
    <dl class="counts">
      ${counts.map((name) => html`<div><dt>${name}</dt><dd data-count=${name}>${report[name] ?? 0}</dd></div>`)}
      <div><dt>errors</dt><dd data-count="errors">${report.errors?.length ?? 0}</dd></div>
    </dl>
    ${report.errors?.length
      ? html`<table class="report-errors">
          <caption>Rows with errors</caption>
          <thead><tr><th scope="col">Row</th><th scope="col">Column</th><th scope="col">Value</th><th scope="col">Problem</th></tr></thead>
          <tbody>
            ${report.errors.map(
              (error) => html`<tr><td>${error.row}</td><td>${error.column ?? ''}</td><td>${error.value === undefined || error.value === null ? '' : String(error.value)}</td><td>${error.message}</td></tr>`,
            )}
          </tbody>
        </table>`
      : html`<p>No errors found.</p>`}
  </section>`;
}

export function ImportDialog({ onClose, onImported }) {
  const fileId = useId('import-file');
  const modeId = useId('import-mode');
  const [file, setFile] = useState(null);
  const [mode, setMode] = useState('valid-rows');
  const [dryRun, setDryRun] = useState(null);
  const [applied, setApplied] = useState(null);
  const [progress, setProgress] = useState(null);
  const [error, setError] = useState(null);

  async function send(importMode) {
    setError(null);
    setProgress(0);
    try {
      return await uploadFile(`/accounts/import?mode=${importMode}`, file, setProgress);
    } catch (caught) {
      setError(caught);
      return null;
    } finally {
      setProgress(null);
    }
  }

  async function runDryRun() {
    setApplied(null);
    setDryRun(await send('dry-run'));
  }

  async function apply() {
    const report = await send(mode);
    if (!report) return;
    setApplied(report);
    onImported(report);
  }

  const busy = progress !== null;
  return html`<${Dialog} title="Import Accounts" onClose=${onClose} wide>
    <p>Choose a filled-in template (.xlsx or .csv). A dry run checks every row without storing anything.</p>
    <div class="field">
      <label for=${fileId}>Spreadsheet file</label>
      <input id=${fileId} type="file" accept=".xlsx,.csv" onChange=${(event) => {
        setFile(event.currentTarget.files[0] ?? null);
        setDryRun(null);
        setApplied(null);
      }} />
    </div>
    <div class="field">
      <label for=${modeId}>When applying</label>
      <select id=${modeId} value=${mode} onChange=${(event) => setMode(event.currentTarget.value)}>
        ${applyModes.map((option) => html`<option value=${option.value}>${option.label}</option>`)}
      </select>
    </div>
    ${busy
      ? html`<div class="progress"><label>Uploading and checking… <progress max="1" value=${progress > 0 && progress < 1 ? progress : undefined} aria-label="Import progress"></progress></label></div>`
      : null}
    <${ErrorMessage} error=${error} />
    ${dryRun ? html`<${ImportReport} report=${dryRun} title="Dry run report" />` : null}
    ${applied ? html`<${ImportReport} report=${applied} title="Import result" />` : null}
    <div class="actions">
      <button type="button" disabled=${!file || busy} onClick=${runDryRun}>Dry Run</button>
      <button type="button" class="primary" disabled=${!dryRun || busy || applied} onClick=${apply}>Apply Import</button>
      <button type="button" onClick=${onClose}>${applied ? 'Close' : 'Cancel'}</button>
    </div>
  <//>`;
}
