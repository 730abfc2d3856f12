/**
 * Vietnamese first, English switchable. Every text is written in both languages where it is used
 * — `t('Đăng nhập', 'Log in')` — so no string can miss its translation; the choice is remembered.
 */
import { createContext, useContext, useState, type ReactNode } from 'react';

export type Lang = 'vi' | 'en';

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(vi: string, en: string): string;
}

let current: Lang = 'vi';

/** The language chosen now, for what is worded outside a component (an API problem's field texts). */
export function uiLanguage(): Lang {
  return current;
}

const Context = createContext<I18n>({ lang: 'vi', setLang: () => undefined, t: (vi) => vi });

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem('chungthuc.lang') === 'en' ? 'en' : 'vi'));
  current = lang;
  const setLang = (l: Lang) => {
    localStorage.setItem('chungthuc.lang', l);
    document.documentElement.lang = l;
    setLangState(l);
  };
  return <Context.Provider value={{ lang, setLang, t: (vi, en) => (lang === 'vi' ? vi : en) }}>{children}</Context.Provider>;
}

export const useI18n = () => useContext(Context);
