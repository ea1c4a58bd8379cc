// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { ALL_ERROR_CODES } from '../../../shared/errors'
import { ERROR_MESSAGE_KEYS, errorMessage } from '../../../renderer/i18n/error-message'
import { RESOURCES, SUPPORTED_LANGUAGES, createI18n, detectLanguage } from '../../../renderer/i18n/i18n'

type Tree = { [key: string]: string | Tree }

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') out.set(path, value)
    else for (const [k, v] of flatten(value, path)) out.set(k, v)
  }
  return out
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort()
const flat = Object.fromEntries(SUPPORTED_LANGUAGES.map((l) => [l, flatten(RESOURCES[l] as Tree)]))

describe('locales', () => {
  it.each(SUPPORTED_LANGUAGES)('%s has a non-empty message for every ErrorCode', (lng) => {
    for (const code of ALL_ERROR_CODES) {
      const text = flat[lng]?.get(ERROR_MESSAGE_KEYS[code])
      expect(text, `${lng}: ${code}`).toBeTruthy()
    }
  })

  it('has exactly one error message per ErrorCode (no stale codes)', () => {
    expect(Object.keys(ERROR_MESSAGE_KEYS).sort()).toEqual([...ALL_ERROR_CODES].sort())
    expect(Object.keys(RESOURCES.en.errors).sort()).toEqual([...ALL_ERROR_CODES].sort())
  })

  it.each(SUPPORTED_LANGUAGES)('%s has the same keys and placeholders as en, none empty', (lng) => {
    const en = flat.en!
    const other = flat[lng]!
    expect([...other.keys()].sort()).toEqual([...en.keys()].sort())
    for (const [key, text] of other) {
      expect(text.trim(), `${lng}: ${key}`).not.toBe('')
      expect(placeholders(text), `${lng}: ${key}`).toEqual(placeholders(en.get(key) ?? ''))
    }
  })

  it('really translates: pt-BR and nl-NL differ from en on most strings', () => {
    const en = flat.en!
    for (const lng of ['pt-BR', 'nl-NL'] as const) {
      const same = [...en].filter(([k, v]) => flat[lng]!.get(k) === v).map(([k]) => k)
      // Product name, technical terms (ATR, PC/SC) and the two interpolation-only strings stay.
      expect(same.length, `${lng} untranslated: ${same.join(', ')}`).toBeLessThanOrEqual(6)
    }
  })
})

describe('language detection', () => {
  it.each([
    [['pt-BR'], 'pt-BR'],
    [['pt-PT'], 'pt-BR'],
    [['pt'], 'pt-BR'],
    [['nl'], 'nl-NL'],
    [['nl-BE', 'en-US'], 'nl-NL'],
    [['en-GB'], 'en'],
    [['de-DE', 'nl-NL'], 'nl-NL'],
    [['fr-FR'], 'en'],
    [[], 'en'],
  ] as const)('%j → %s', (languages, expected) => {
    expect(detectLanguage({ language: languages[0] ?? '', languages })).toBe(expected)
  })
})

describe('errorMessage', () => {
  it('adds tries left and the CM correlation id, localized', () => {
    const i18n = createI18n('nl-NL')
    expect(errorMessage(i18n.t, { code: 'wrong-pin', triesLeft: 2 })).toBe(
      'Onjuiste pincode. Resterende pogingen: 2',
    )
    expect(errorMessage(i18n.t, { code: 'server-error', correlationId: 'a1b2' })).toBe(
      'De CM-server heeft een fout gemeld. Referentie: a1b2',
    )
  })

  it('falls back to the catch-all for a code this renderer does not know', () => {
    const i18n = createI18n('en')
    const unknown = { code: 'brand-new-code' } as unknown as Parameters<typeof errorMessage>[1]
    expect(errorMessage(i18n.t, unknown)).toBe(RESOURCES.en.errors.internal)
  })
})
