// Push of an account to the devices it is bound to, with each device's result as it changes.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';

import { api } from './api.js';
import { ConfirmDialog, Dialog, ErrorMessage, formatTime, useId } from './components.js';

const pollIntervalMs = 1000;
const finalStates = new Set(['confirmed', 'failed', 'cancelled']);

/** Polls a push job until every device has reached a final state or the dialog closes. */
function usePushJob(jobId) {
  const [job, setJob] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    if (!jobId) return undefined;
    let timer;
    let current = true;

    async function poll() {
      try {
        const body = await api('GET', `/push/${jobId}`);
        if (!current) return;
        setJob(body);
        setError(null);
        if (body.devices.every((device) => finalStates.has(device.state))) return;
      } catch (caught) {
        if (current) setError(caught);
      }
      if (current) timer = setTimeout(poll, pollIntervalMs);
    }

    poll();
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [jobId]);

  return { job, error };
}

function PushResults({ job }) {
  return html`<section aria-label="Push results">
    <h3>Push ${job.id}: ${job.state}</h3>
    <table class="push-results">
      <thead><tr><th scope="col">MAC</th><th scope="col">State</th><th scope="col">SIP status</th><th scope="col">Reason</th><th scope="col">Updated</th></tr></thead>
      <tbody aria-live="polite">
        ${job.devices.map(
          (device) => html`<tr key=${device.deviceId} data-state=${device.state}>
            <td class="mono">${device.mac}</td><td><span class=${`badge state-${device.state}`}>${device.state}</span></td>
            <td>${device.sipStatus ?? ''}</td><td>${device.reason ?? ''}</td><td>${formatTime(device.updatedAt)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

export function PushDialog({ account, onClose }) {
  const modeName = useId('push-mode');
  const atId = useId('push-at');
  const rebootId = useId('push-reboot');
  const [devices, setDevices] = useState(null);
  const [chosen, setChosen] = useState(new Set());
  const [mode, setMode] = useState('now');
  const [at, setAt] = useState('');
  const [reboot, setReboot] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [jobId, setJobId] = useState(null);
  const [error, setError] = useState(null);
  const { job, error: pollError } = usePushJob(jobId);

  useEffect(() => {
    api('GET', `/accounts/${account.id}/devices`).then(
      (body) => {
        setDevices(body.items);
        setChosen(new Set(body.items.map((device) => device.deviceId)));
      },
      setError,
    );
  }, [account.id]);

  function toggle(deviceId) {
    const next = new Set(chosen);
    if (next.has(deviceId)) next.delete(deviceId);
    else next.add(deviceId);
    setChosen(next);
  }

  async function push() {
    setConfirming(false);
    setError(null);
    const body = { accountId: account.id, deviceIds: [...chosen], mode, reboot };
    if (mode === 'at') body.at = at ? new Date(at).toISOString() : '';
    try {
      const created = await api('POST', '/push', body);
      setJobId(created.id);
    } catch (caught) {
      setError(caught);
    }
  }

  const canPush = chosen.size > 0 && (mode === 'now' || at !== '') && !jobId;
  return html`<${Dialog} title=${`Push Account ${account.name}`} onClose=${onClose} wide>
    <p>Only devices with this account on a line can be chosen. To bind a device, add or edit it on the Devices page.</p>
    ${devices === null && !error ? html`<p>Loading devices…</p>` : null}
    ${devices?.length === 0 ? html`<p class="empty">No device has this account on a line.</p>` : null}
    ${devices?.length
      ? html`<fieldset disabled=${Boolean(jobId)}>
          <legend>Devices</legend>
          ${devices.map(
            (device) => html`<div class="field checkbox" key=${device.deviceId}>
              <input type="checkbox" id=${`push-device-${device.deviceId}`} checked=${chosen.has(device.deviceId)} onChange=${() => toggle(device.deviceId)} />
              <label for=${`push-device-${device.deviceId}`}><span class="mono">${device.mac}</span> ${device.model}, line ${device.line}, last seen ${formatTime(device.lastSeenAt)}</label>
            </div>`,
          )}
        </fieldset>
        <fieldset disabled=${Boolean(jobId)}>
          <legend>Execution mode</legend>
          <div class="field checkbox"><input type="radio" id=${`${modeName}-now`} name=${modeName} checked=${mode === 'now'} onChange=${() => setMode('now')} /><label for=${`${modeName}-now`}>Now</label></div>
          <div class="field checkbox"><input type="radio" id=${`${modeName}-at`} name=${modeName} checked=${mode === 'at'} onChange=${() => setMode('at')} /><label for=${`${modeName}-at`}>At a date and time</label></div>
          ${mode === 'at' ? html`<div class="field"><label for=${atId}>Date and time</label><input id=${atId} type="datetime-local" value=${at} onInput=${(event) => setAt(event.currentTarget.value)} /></div>` : null}
          <div class="field checkbox"><input type="checkbox" id=${rebootId} checked=${reboot} onChange=${(event) => setReboot(event.currentTarget.checked)} /><label for=${rebootId}>Reboot after the update</label></div>
        </fieldset>`
      : null}
    <${ErrorMessage} error=${error ?? pollError} />
    ${job ? html`<${PushResults} job=${job} />` : null}
    ${jobId && !job ? html`<p>Push ${jobId} created; waiting for results…</p>` : null}
    <div class="actions">
      <button type="button" class="primary" disabled=${!canPush} onClick=${() => setConfirming(true)}>Push To Update</button>
      <button type="button" onClick=${onClose}>${jobId ? 'Close' : 'Cancel'}</button>
    </div>
    ${confirming
      ? html`<${ConfirmDialog} title="Push To Update" message=${`Confirm Push to ${chosen.size} device(s)${mode === 'at' ? ` at ${at.replace('T', ' ')}` : ' now'}?`} onConfirm=${push} onCancel=${() => setConfirming(false)} />`
      : null}
  <//>`;
}
