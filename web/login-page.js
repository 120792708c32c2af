// The login form, shown instead of the pages while no session is open.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';

import { signIn } from './api.js';

/** Asks for the user name and password; calls `onSignedIn(user)` after a successful login. */
export function LoginPage({ onSignedIn }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(username, password));
    } catch (failure) {
      setError(failure.message);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return html`<section class="login">
    <h1>Sign in</h1>
    <form onSubmit=${submit} aria-describedby=${error ? 'login-error' : undefined}>
      <div class="field">
        <label for="login-username">User name</label>
        <input id="login-username" name="username" autocomplete="username" required autofocus value=${username} onInput=${(event) => setUsername(event.target.value)} />
      </div>
      <div class="field">
        <label for="login-password">Password</label>
        <input id="login-password" name="password" type="password" autocomplete="current-password" required value=${password} onInput=${(event) => setPassword(event.target.value)} />
      </div>
      ${error ? html`<div class="error" role="alert" id="login-error">${error}</div>` : null}
      <div class="actions"><button type="submit" class="primary" disabled=${busy}>Sign in</button></div>
    </form>
  </section>`;
}

/** Renders the signed-in user's name in the header, with a menu that shows the role and signs out. */
export function UserMenu({ user, onSignOut }) {
  return html`<details class="user-menu">
    <summary>${user.username}</summary>
    <div class="user-menu-list">
      <p class="hint">Role: ${user.role}</p>
      <button type="button" onClick=${onSignOut}>Sign out</button>
    </div>
  </details>`;
}
