import type en from './locales/en.json'

// Type-checked keys: `t('readers.heading')` and the `errors.<code>` table are checked against en.json at
// compile time; tests/unit/renderer/i18n.test.ts checks every other locale against en.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation'
    resources: { translation: typeof en }
  }
}
