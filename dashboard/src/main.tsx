import { render } from 'preact';
import { App } from './app';

const root = document.getElementById('app')!;
// The server's "Loading…" line goes: the app draws everything from here on.
root.textContent = '';
render(<App />, root);
