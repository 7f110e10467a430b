import { escapeHtml } from '../kernel/html.js';

/** The login page a browser gets at `/` while `auth` is on and nobody is logged in. */
export function renderLoginPage(title: string, message: string | null, loginUrl: string): string {
  const notice = message ? `<p class="message">${escapeHtml(message)}</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — login</title>
<style>
  body {
    font-family: system-ui, sans-serif; background: #f9fafb; color: #1f2937;
    display: grid; place-items: center; min-height: 100vh; margin: 0;
  }
  form {
    background: white; border: 1px solid #e5e7eb; border-radius: 8px; padding: 2rem;
    width: min(22rem, 90vw); display: grid; gap: 0.75rem;
  }
  h1 { font-size: 1.25rem; margin: 0 0 0.5rem; }
  input { font: inherit; padding: 0.5rem; border: 1px solid #d1d5db; border-radius: 4px; }
  button { font: inherit; padding: 0.5rem; border: 0; border-radius: 4px; background: #f97316; color: white; cursor: pointer; }
  .message { margin: 0; color: #4b5563; }
  .error { margin: 0; color: #b91c1c; min-height: 1.2em; }
</style>
</head>
<body>
<form id="login">
  <h1>${escapeHtml(title)}</h1>
  ${notice}
  <label>Username <input name="username" autocomplete="username" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Login</button>
  <p class="error" id="error" role="alert"></p>
</form>
<script>
  document.getElementById('login').addEventListener('submit', async (event) => {
    event.preventDefault();
    const response = await fetch(${JSON.stringify(loginUrl).replaceAll('<', '\\u003c')}, {
      method: 'POST', body: new FormData(event.target), credentials: 'same-origin',
    });
    if (response.ok) location.reload();
    else document.getElementById('error').textContent = 'Incorrect credentials.';
  });
</script>
</body>
</html>
`;
}
