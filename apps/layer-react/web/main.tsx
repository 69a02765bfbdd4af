import { ChartOfAccounts, LayerProvider } from '@layerfi/components';
import '@layerfi/components/index.css';
import { useBusinessToken } from '@fintoken/react';
import { createRoot } from 'react-dom/client';
import type { PageConfig } from '../src/page.js';
import { TokenPanel } from './tokenPanel.js';

const config = JSON.parse(document.getElementById('config')?.textContent ?? '{}') as PageConfig;

function App() {
  // The only client-side wiring: a live business token from our own server...
  const { token, expiresAt, status, error, refresh } = useBusinessToken({ tokenUrl: config.tokenUrl });
  return (
    <>
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ft
          </span>
          <div>
            <h1>Layer&apos;s React components, fed by useBusinessToken</h1>
            <p>
              Business <code data-testid="business-id">{config.businessId}</code> on the sandbox&apos;s Layer API. The token is
              business-scoped and short-lived; the hook replaces it before it expires and LayerProvider uses the new one for its
              next request.
            </p>
          </div>
        </div>
        {config.demoUrl ? (
          <a className="pill" data-testid="demo-link" href={config.demoUrl}>
            ← fintoken demo
          </a>
        ) : null}
      </header>
      <main>
        <TokenPanel token={token} expiresAt={expiresAt} status={status} error={error} refresh={refresh} />
        {/* ...handed to Layer's own provider as businessAccessToken (seed: layer-authentication).
            Never appId/appSecret: those would put a client secret in the browser. */}
        {token ? (
          <LayerProvider
            businessId={config.businessId}
            businessAccessToken={token}
            environmentConfigOverride={config.layer}
          >
            <ChartOfAccounts />
          </LayerProvider>
        ) : null}
      </main>
    </>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(<App />);
