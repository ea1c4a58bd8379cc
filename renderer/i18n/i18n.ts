import { createInstance, type i18n as I18n } from 'i18next'
import { initReactI18next } from 'react-i18next'
import en from './locales/en.json'
import nlNL from './locales/nl-NL.json'
import ptBR from './locales/pt-BR.json'

/** The UI languages, in picker order (BCP 47 tags as the resource files are named). */
export const SUPPORTED_LANGUAGES = ['en', 'pt-BR', 'nl-NL'] as const

/** One supported UI language. */
export type Language = (typeof SUPPORTED_LANGUAGES)[number]

/** Translation resources per language; `en` is the reference every other locale must match key for key. */
export const RESOURCES: Readonly<Record<Language, typeof en>> = { en, 'pt-BR': ptBR, 'nl-NL': nlNL }

/** True if `value` names a supported language exactly. */
export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (SUPPORTED_LANGUAGES as readonly string[]).includes(value)
}

/** Best supported language for one BCP 47 tag: exact match, then by primary subtag (pt-PT → pt-BR). */
function match(tag: string): Language | null {
  const lower = tag.trim().toLowerCase()
  const exact = SUPPORTED_LANGUAGES.find((l) => l.toLowerCase() === lower)
  if (exact) return exact
  const primary = lower.split(/[-_]/)[0]
  return SUPPORTED_LANGUAGES.find((l) => l.toLowerCase().split('-')[0] === primary) ?? null
}

/** Pick the UI language from the OS/browser preferences (`navigator.languages`, then `navigator.language`). */
export function detectLanguage(
  nav: Pick<Navigator, 'language'> & { languages?: readonly string[] },
): Language {
  const wanted = [...(nav.languages ?? []), nav.language].filter((t): t is string => typeof t === 'string')
  for (const tag of wanted) {
    const found = match(tag)
    if (found) return found
  }
  return 'en'
}

/** Where the operator's language choice is kept (this window's origin storage; no secrets, one short tag). */
const LANGUAGE_KEY = 'station.language'

/** The storage calls the language memory uses (`window.localStorage`; it may throw on an opaque origin). */
export type LanguageStorage = Pick<Storage, 'getItem' | 'setItem'>

/** The language the operator picked last on this station, or null (none stored, unreadable or unsupported). */
export function storedLanguage(storage: LanguageStorage | undefined): Language | null {
  try {
    const value = storage?.getItem(LANGUAGE_KEY)
    return isLanguage(value) ? value : null
  } catch {
    return null
  }
}

/** Keep every language change for the next start (a failed write only loses the memory, never the change). */
export function rememberLanguage(i18n: I18n, storage: LanguageStorage | undefined): () => void {
  const save = (lng: string): void => {
    if (!isLanguage(lng)) return
    try {
      storage?.setItem(LANGUAGE_KEY, lng)
    } catch {
      // Storage full or not available: the choice holds for this session.
    }
  }
  i18n.on('languageChanged', save)
  return () => i18n.off('languageChanged', save)
}

/** A fresh, synchronously initialised i18next instance (one per app, so tests never share state). */
export function createI18n(language: Language): I18n {
  const instance = createInstance()
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...SUPPORTED_LANGUAGES],
    resources: Object.fromEntries(SUPPORTED_LANGUAGES.map((l) => [l, { translation: RESOURCES[l] }])),
    // Resources are bundled: initialise synchronously so the first render is already translated.
    initAsync: false,
    // React escapes text itself; double escaping would show `&amp;` in reader names.
    interpolation: { escapeValue: false },
  })
  return instance
}

/** Keep `<html lang>` and the window title in step with the UI language (screen readers pick the voice). */
export function bindDocumentLanguage(i18n: I18n, doc: Document): () => void {
  const apply = (lng: string): void => {
    doc.documentElement.lang = lng
    doc.title = i18n.t('app.title')
  }
  apply(i18n.language)
  i18n.on('languageChanged', apply)
  return () => i18n.off('languageChanged', apply)
}
