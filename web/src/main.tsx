import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { I18nProvider } from './i18n';
import { OfficerProvider } from './officer';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <OfficerProvider>
        <App />
      </OfficerProvider>
    </I18nProvider>
  </StrictMode>,
);
