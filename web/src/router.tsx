/** Hash routes ("#/cases/HS-1"): the API serves one page, and a reload keeps the screen. */
import { useEffect, useState } from 'react';

export function useRoute(): string[] {
  const read = () => (window.location.hash.replace(/^#\/?/, '') || '').split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function go(...segments: string[]): void {
  window.location.hash = '/' + segments.map(encodeURIComponent).join('/');
}
