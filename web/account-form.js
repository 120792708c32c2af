// The Add/Edit Account form: the 17 fields of the product's form, in its order.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';

import { api, fieldErrors } from './api.js';
import { Dialog, ErrorMessage, FormFields, toBody } from './components.js';

/** Field definitions; `secret` fields are never read back, so on edit an empty one keeps the stored value. */
export function accountFields(profiles, editing) {
  const secretHint = editing ? 'Leave empty to keep the stored value.' : undefined;
  return [
    { name: 'name', label: 'Name', required: true },
    { name: 'profileId', label: 'Profile', required: true, type: 'select', numeric: true, options: profiles.map((profile) => ({ value: String(profile.id), label: profile.name })) },
    { name: 'active', label: 'Account Active', type: 'checkbox' },
    { name: 'label', label: 'Label', required: true },
    { name: 'sipUserId', label: 'SIP User ID', required: true },
    { name: 'authId', label: 'Authenticate ID', required: true },
    { name: 'authPassword', label: 'Authenticate Password', required: !editing, type: 'password', secret: true, hint: secretHint },
    { name: 'directPickupCode', label: 'Direct Call Pickup Code' },
    { name: 'groupPickupCode', label: 'Group Call Pickup Code' },
    { name: 'featureKeySync', label: 'Feature Key Sync', type: 'checkbox' },
    { name: 'voicemailUserId', label: 'Voice Mail User ID' },
    { name: 'dialPlan', label: 'Dial Plan' },
    { name: 'eventListBlfUrl', label: 'EventList BLF URL' },
    { name: 'pin', label: 'PIN', required: !editing, type: 'password', secret: true, inputMode: 'numeric', hint: secretHint ?? '4 to 12 digits, for logging in on the phone.' },
    { name: 'displayName', label: 'Display Name', hint: 'The name the far end sees when calling.' },
    { name: 'localSipPort', label: 'Local SIP Port', type: 'number', placeholder: '5060' },
    { name: 'useRandomPort', label: 'Use Random Port', type: 'checkbox' },
  ];
}

function initialValues(account) {
  if (!account) return { active: true, featureKeySync: false, useRandomPort: false, profileId: '' };

  const values = { ...account, profileId: String(account.profileId), authPassword: '', pin: '' };
  for (const [key, value] of Object.entries(values)) if (value === null) values[key] = '';
  return values;
}

/**
 * Creates an account, or changes one when `account` is given. A PATCH carries the version that
 * was read, so a change made meanwhile by someone else is reported as a conflict instead of
 * being overwritten.
 */
export function AccountForm({ account, profiles, onSaved, onClose }) {
  const editing = Boolean(account);
  const fields = accountFields(profiles, editing);
  const [values, setValues] = useState(() => initialValues(account));
  const [version, setVersion] = useState(account?.version);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const change = (name, value) => setValues((previous) => ({ ...previous, [name]: value }));

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);

    const body = toBody(fields, values, { omitEmpty: editing ? ['authPassword', 'pin'] : [] });
    try {
      const saved = editing ? await api('PATCH', `/accounts/${account.id}`, { ...body, version }) : await api('POST', '/accounts', body);
      onSaved(saved, editing ? 'Account saved.' : 'Account added.');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  // Loads the stored account again after a conflict; the fields keep what the admin typed.
  async function reload() {
    try {
      const current = await api('GET', `/accounts/${account.id}`);
      setVersion(current.version);
      setError(null);
    } catch (caught) {
      setError(caught);
    }
  }

  return html`<${Dialog} title=${editing ? `Edit Account ${account.name}` : 'Add Account'} onClose=${onClose} wide>
    <form class="form-grid" onSubmit=${submit} noValidate>
      <p class="form-note"><span class="required">*</span> marks a required field.</p>
      <${FormFields} fields=${fields} values=${values} errors=${fieldErrors(error)} onChange=${change} idPrefix="account" />
      <${ErrorMessage} error=${error} onReload=${editing ? reload : undefined} />
      <div class="actions">
        <button type="submit" class="primary" disabled=${busy}>Confirm</button>
        <button type="button" onClick=${onClose}>Cancel</button>
      </div>
    </form>
  <//>`;
}
