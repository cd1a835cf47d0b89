import { render } from 'preact';
import { App } from './app.tsx';
import { SessionProvider } from './session/session.tsx';
import { registerServiceWorker } from './sw/register-sw.ts';
import './styles/app.css';

registerServiceWorker();
render(
  <SessionProvider>
    <App />
  </SessionProvider>,
  document.getElementById('app')!,
);
