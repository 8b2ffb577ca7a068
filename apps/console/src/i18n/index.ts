import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { designerEn, designerZhCN } from './designer';
import { en } from './en';
import { oversightEn, oversightZhCN } from './oversight';
import { zhCN } from './zh-CN';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const LANGUAGE_KEY = 'shaosheng.lang';

/** The remembered language, zh-CN unless the user switched to English. */
export function storedLanguage(): Language {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(LANGUAGE_KEY);
  return stored === 'en' ? 'en' : 'zh-CN';
}

export function switchLanguage(language: Language): void {
  localStorage.setItem(LANGUAGE_KEY, language);
  document.documentElement.lang = language;
  void i18n.changeLanguage(language);
}

void i18n.use(initReactI18next).init({
  resources: {
    'zh-CN': { translation: { ...zhCN, designer: designerZhCN, oversight: oversightZhCN } },
    en: { translation: { ...en, designer: designerEn, oversight: oversightEn } },
  },
  lng: storedLanguage(),
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18n;
