/**
 * Whether the logged-in officer holds any document: "Giấy tờ của tôi" is in the menu for officers
 * who work on cases, and for anyone else once a copy was delivered to him (a delegate who signed).
 */
import { useEffect, useState } from 'react';
import { api } from '../../api';

export function useHasDocuments(officerId: string | undefined): boolean {
  const [has, setHas] = useState(false);
  useEffect(() => {
    if (!officerId) {
      setHas(false);
      return;
    }
    let live = true;
    api<{ total: number }>('GET', '/api/documents?pageSize=1')
      .then((r) => live && setHas(r.total > 0))
      .catch(() => live && setHas(false));
    return () => {
      live = false;
    };
  }, [officerId]);
  return has;
}
