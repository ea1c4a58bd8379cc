import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../../electron/services/config'

// build/installer.nsh writes %ProgramData%\CMEnrollment\CM Enrollment Station\station.json from installer
// parameters. NSIS cannot run here, so this takes the script's own text templates (the entry strings, the
// separator and the file frame) and expands them as NSIS would: what the installer writes must be JSON the
// station's configuration schema accepts, with the values given. makensis compiles the script in
// scripts/check-package.mjs.
const nsh = readFileSync(join(__dirname, '..', '..', '..', 'build', 'installer.nsh'), 'utf8')

/** The body of one NSIS function of installer.nsh. */
function nsisFunction(name: string): string {
  const body = new RegExp(`Function ${name}\\n([\\s\\S]*?)\\n\\s*FunctionEnd`).exec(nsh)?.[1]
  if (!body) throw new Error(`installer.nsh has no function ${name}`)
  return body
}

/** Expands an NSIS string literal (quoted with ', " or `) the way NSIS does, with the given variables. */
function expand(literal: string, vars: Record<string, string>): string {
  const quote = literal[0]
  if (!quote || !`'"\``.includes(quote) || literal.at(-1) !== quote)
    throw new Error(`not a literal: ${literal}`)
  return literal.slice(1, -1).replace(/\$(\\r|\\n|\\"|\$|[A-Za-z0-9_]+)/g, (_, token: string) => {
    if (token === '\\r') return '\r'
    if (token === '\\n') return '\n'
    if (token === '\\"') return '"'
    if (token === '$') return '$'
    const value = vars[token]
    if (value === undefined) throw new Error(`unset NSIS variable $${token}`)
    return value
  })
}

const write = nsisFunction('StationWriteMachineDefaults')
/** The literal StrCpy assigns to $3 in the statement that mentions `key`. */
const entryLiteral = (key: string) => {
  const line = write.split('\n').find((l) => /^\s*StrCpy \$3 /.test(l) && l.includes(`"${key}"`))
  if (!line) throw new Error(`no entry for ${key}`)
  return line.replace(/^\s*StrCpy \$3 /, '').trim()
}
const separatorLiteral = /^\s*StrCpy \$3 ("\$3,[^"]*")$/m.exec(write)?.[1] ?? ''
const frameLiteral = /^\s*FileWrite \$2 (".*")$/m.exec(write)?.[1] ?? ''

/** What the installer writes for these parameter values ("" = not given), following its order cm, kiosk, language. */
function stationJson(values: { StationCmUrl: string; StationKiosk: string; StationLang: string }): string {
  let acc = ''
  const add = (key: string, given: string) => {
    if (given === '') return
    if (acc !== '') acc = expand(separatorLiteral, { ...values, 3: acc })
    acc = expand(entryLiteral(key), { ...values, 3: acc })
  }
  add('cm', values.StationCmUrl)
  add('kiosk', values.StationKiosk)
  add('language', values.StationLang)
  return expand(frameLiteral, { ...values, 3: acc })
}

describe('machine defaults written by the installer', () => {
  const url = 'https://cm.contoso.com/CertificateManagement'

  it('writes JSON the configuration schema accepts, with every parameter given', () => {
    const text = stationJson({ StationCmUrl: url, StationKiosk: 'true', StationLang: 'pt-BR' })
    expect(JSON.parse(text)).toEqual({ cm: { appRoot: url }, kiosk: true, language: 'pt-BR' })
    const config = parseConfig(JSON.parse(text), 'station.json')
    expect(config.cm?.appRoot).toBe(url)
    expect(config.kiosk).toBe(true)
    expect(config.language).toBe('pt-BR')
    expect(text.endsWith('}\r\n')).toBe(true)
  })

  it('writes only the keys given, in every combination', () => {
    const options = { StationCmUrl: [url, ''], StationKiosk: ['false', ''], StationLang: ['nl-NL', ''] }
    for (const StationCmUrl of options.StationCmUrl)
      for (const StationKiosk of options.StationKiosk)
        for (const StationLang of options.StationLang) {
          if (!StationCmUrl && !StationKiosk && !StationLang) continue // nothing given: the file is not written
          const parsed = JSON.parse(stationJson({ StationCmUrl, StationKiosk, StationLang })) as object
          const expected = {
            ...(StationCmUrl ? { cm: { appRoot: StationCmUrl } } : {}),
            ...(StationKiosk ? { kiosk: false } : {}),
            ...(StationLang ? { language: StationLang } : {}),
          }
          expect(parsed).toEqual(expected)
          expect(() => parseConfig(parsed)).not.toThrow()
        }
  })

  it('accepts for /CMURL only characters that JSON writes as they are', () => {
    const chars = /^!define STATION_URL_CHARS "([^"]*)"$/m.exec(nsh)?.[1] ?? ''
    expect(chars.length).toBeGreaterThan(60)
    for (const c of chars) {
      expect(JSON.stringify(c)).toBe(`"${c}"`)
      expect(c).not.toMatch(/[\s$]/)
    }
    // A CM address made of them survives the round trip and the schema.
    const address = 'https://cm.contoso.com:8443/CertificateManagement/?a=1&b=%20#x'
    expect([...address].every((c) => chars.includes(c))).toBe(true)
    const text = stationJson({ StationCmUrl: address, StationKiosk: '', StationLang: '' })
    expect(parseConfig(JSON.parse(text)).cm?.appRoot).toBe(address)
  })

  it('accepts for /LANG exactly the languages the station has', () => {
    const read = nsisFunction('StationReadParameters')
    const written = [...read.matchAll(/StrCpy \$StationLang "([^"]+)"/g)].map((m) => m[1])
    expect(written.sort()).toEqual(['en', 'nl-NL', 'pt-BR'])
    for (const language of written) expect(parseConfig({ language }).language).toBe(language)
  })
})
