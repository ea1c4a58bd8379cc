// @vitest-environment jsdom
// jsdom's DOMParser is a strict XML 1.0 parser (saxes): a malformed template fails here as it would in GPMC.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { settingSchemas } from '../../../electron/services/config-load'
import { POLICY_KEY, POLICY_SETTINGS } from '../../../electron/services/policy/registry-policy'

const ROOT = join(__dirname, '..', '..', '..')
const POLICY_DIR = join(ROOT, 'build', 'policy')
const GP_NAMESPACE = 'http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions'
const LANGUAGES = ['en-US', 'pt-BR', 'nl-NL'] as const

/**
 * Settings deliberately without a policy, each with its reason. A new setting of configSchema that is neither here
 * nor in POLICY_SETTINGS fails the coverage test below.
 */
const NOT_POLICY: Record<string, string> = {
  'directory.personClass':
    'describes the schema of a non-AD directory (OpenLDAP inetOrgPerson); the AD default `user` is right on a managed Windows desk — set it in the machine defaults file',
  'directory.attributes.uuid': 'attribute map for a non-AD directory (see directory.personClass)',
  'directory.attributes.uuidEncoding': 'attribute map for a non-AD directory (see directory.personClass)',
  'directory.attributes.displayName': 'attribute map for a non-AD directory (see directory.personClass)',
  'directory.attributes.givenName': 'attribute map for a non-AD directory (see directory.personClass)',
  'directory.attributes.surname': 'attribute map for a non-AD directory (see directory.personClass)',
  'directory.attributes.account': 'attribute map for a non-AD directory (see directory.personClass)',
  'directory.attributes.upn': 'attribute map for a non-AD directory (see directory.personClass)',
  'directory.attributes.email': 'attribute map for a non-AD directory (see directory.personClass)',
  'directory.attributes.department': 'attribute map for a non-AD directory (see directory.personClass)',
  'directory.attributes.employeeNumber': 'attribute map for a non-AD directory (see directory.personClass)',
}

/** The part of the DOM this test reads (the node tsconfig has no DOM library). */
interface XmlElement {
  readonly localName: string
  readonly namespaceURI: string | null
  readonly textContent: string | null
  readonly children: ArrayLike<XmlElement>
  getAttribute(name: string): string | null
  getElementsByTagNameNS(namespace: string, name: string): ArrayLike<XmlElement>
}
interface XmlDocument {
  readonly documentElement: XmlElement
  getElementsByTagName(name: string): ArrayLike<XmlElement>
}
const { DOMParser } = globalThis as unknown as {
  DOMParser: new () => { parseFromString(text: string, type: 'application/xml'): XmlDocument }
}

function parseXml(text: string): XmlElement {
  const doc = new DOMParser().parseFromString(text, 'application/xml')
  const error = doc.getElementsByTagName('parsererror')[0]
  if (error) throw new Error(`not well-formed XML: ${error.textContent ?? ''}`)
  return doc.documentElement
}

const all = (el: XmlElement, name: string) => Array.from(el.getElementsByTagNameNS(GP_NAMESPACE, name))
const kids = (el: XmlElement, name?: string) =>
  Array.from(el.children).filter((c) => c.namespaceURI === GP_NAMESPACE && (!name || c.localName === name))
const attr = (el: XmlElement, name: string) => el.getAttribute(name)

const admxText = readFileSync(join(POLICY_DIR, 'CMEnrollmentStation.admx'), 'utf8')
const admx = parseXml(admxText)
const adml = Object.fromEntries(
  LANGUAGES.map((lang) => [
    lang,
    parseXml(readFileSync(join(POLICY_DIR, lang, 'CMEnrollmentStation.adml'), 'utf8')),
  ]),
) as Record<(typeof LANGUAGES)[number], XmlElement>

const LEAVES = settingSchemas()
const policies = all(admx, 'policy')

/** The ADMX policy and element (or the policy itself, for a policy-level on/off value) writing `valueName`. */
function writerOf(valueName: string): { policy: XmlElement; element: XmlElement } {
  const found: Array<{ policy: XmlElement; element: XmlElement }> = []
  for (const policy of policies) {
    if (attr(policy, 'valueName') === valueName) found.push({ policy, element: policy })
    for (const elements of kids(policy, 'elements'))
      for (const element of kids(elements))
        if (attr(element, 'valueName') === valueName) found.push({ policy, element })
  }
  expect(found, `exactly one ADMX writer of ${valueName}`).toHaveLength(1)
  return found[0]!
}

/** Peel wrappers (default, prefault, optional, nullable, transform pipe) down to the checking schema. */
function core(schema: z.ZodType): z.ZodType {
  let s = schema
  for (;;) {
    if (
      s instanceof z.ZodDefault ||
      s instanceof z.ZodPrefault ||
      s instanceof z.ZodOptional ||
      s instanceof z.ZodNullable
    )
      s = s.unwrap() as z.ZodType
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType
    else return s
  }
}

/** The default a setting takes when no source sets it (undefined when it has none). */
function defaultOf(schema: z.ZodType): unknown {
  const parsed = schema.safeParse(undefined)
  return parsed.success ? parsed.data : undefined
}

/** Largest list length the schema accepts (probed with valid items), at most 1000. */
function maxItems(schema: z.ZodType, item: string): number {
  let n = 0
  while (n < 1000 && schema.safeParse(Array.from({ length: n + 1 }, () => item)).success) n++
  return n
}

describe('the policy templates parse as XML', () => {
  it('the check itself refuses malformed XML', () => {
    expect(() => parseXml('<policyDefinitions><policies></policyDefinitions>')).toThrow(/not well-formed/)
  })

  it('ADMX and every ADML are Group Policy documents', () => {
    expect(admx.localName).toBe('policyDefinitions')
    expect(admx.namespaceURI).toBe(GP_NAMESPACE)
    for (const lang of LANGUAGES) {
      expect(adml[lang].localName).toBe('policyDefinitionResources')
      expect(adml[lang].namespaceURI).toBe(GP_NAMESPACE)
    }
  })

  it('the ADMX has its own namespace, a supportedOn definition and a closed category tree', () => {
    const target = all(admx, 'target')[0]!
    expect(attr(target, 'namespace')).toBe('CMEnrollment.Policies.CMEnrollmentStation')
    const supported = all(admx, 'definition').map((d) => attr(d, 'name'))
    const categories = new Set(all(admx, 'category').map((c) => attr(c, 'name')))
    for (const ref of all(admx, 'parentCategory').map((p) => attr(p, 'ref')))
      expect(categories).toContain(ref)
    for (const policy of policies) {
      expect(attr(policy, 'class')).toBe('Machine')
      expect(attr(policy, 'key')).toBe(POLICY_KEY)
      expect(supported).toContain(attr(kids(policy, 'supportedOn')[0]!, 'ref'))
      expect(kids(policy, 'parentCategory')).toHaveLength(1)
    }
  })
})

describe('every setting of configSchema has a policy', () => {
  it('each leaf setting is in POLICY_SETTINGS or deliberately left out, never both', () => {
    const mapped = new Set(POLICY_SETTINGS.map((s) => s.path.join('.')))
    for (const leaf of LEAVES.keys()) {
      const inPolicy = mapped.has(leaf)
      const excluded = leaf in NOT_POLICY
      expect({ leaf, covered: inPolicy !== excluded }).toEqual({ leaf, covered: true })
    }
    for (const path of [...mapped, ...Object.keys(NOT_POLICY)]) expect(LEAVES.has(path), path).toBe(true)
    const names = POLICY_SETTINGS.map((s) => s.valueName.toLowerCase())
    expect(new Set(names).size).toBe(names.length)
  })

  it('the ADMX writes exactly the registry values the station reads', () => {
    const written = policies.flatMap((p) => [
      ...(attr(p, 'valueName') ? [attr(p, 'valueName')] : []),
      ...kids(p, 'elements').flatMap((e) => kids(e).map((el) => attr(el, 'valueName'))),
    ])
    expect([...written].sort()).toEqual(POLICY_SETTINGS.map((s) => s.valueName).sort())
  })

  it.each(POLICY_SETTINGS.map((s) => ({ ...s, name: s.valueName })))(
    '$name: the ADMX element matches the schema',
    ({ valueName, path, kind }) => {
      const field = LEAVES.get(path.join('.'))!
      const schema = core(field)
      const { policy, element } = writerOf(valueName)
      expect(attr(policy, 'name')).toBe(valueName)
      if (schema instanceof z.ZodNumber) {
        expect(kind).toBe('number')
        expect(element.localName).toBe('decimal')
        expect(Number(attr(element, 'minValue'))).toBe(schema.minValue)
        expect(Number(attr(element, 'maxValue'))).toBe(schema.maxValue)
      } else if (schema instanceof z.ZodEnum) {
        expect(kind).toBe('text')
        expect(element.localName).toBe('enum')
        const values = kids(element, 'item').map((item) => all(item, 'string')[0]?.textContent)
        expect(values).toEqual(schema.options)
      } else if (schema instanceof z.ZodBoolean) {
        expect(kind).toBe('boolean')
        expect(element).toBe(policy)
        expect(attr(kids(kids(policy, 'enabledValue')[0]!, 'decimal')[0]!, 'value')).toBe('1')
        expect(attr(kids(kids(policy, 'disabledValue')[0]!, 'decimal')[0]!, 'value')).toBe('0')
      } else if (schema instanceof z.ZodArray) {
        expect(kind).toBe('list')
        expect(element.localName).toBe('multiText')
        expect(Number(attr(element, 'maxStrings'))).toBe(maxItems(schema, 'a.contoso.com'))
      } else if (schema instanceof z.ZodString) {
        expect(kind).toBe('text')
        expect(element.localName).toBe('text')
        if (schema.maxLength !== null) expect(Number(attr(element, 'maxLength'))).toBe(schema.maxLength)
      } else {
        throw new Error(`${valueName}: no ADMX element type for ${schema.constructor.name}`)
      }
    },
  )
})

describe('the ADML strings and presentations, in every language', () => {
  const stringRefs = [...admxText.matchAll(/\$\(string\.([^)]+)\)/g)].map((m) => m[1]!)
  const presentationRefs = [...admxText.matchAll(/\$\(presentation\.([^)]+)\)/g)].map((m) => m[1]!)
  const stringsOf = (lang: (typeof LANGUAGES)[number]) =>
    new Map(all(adml[lang], 'string').map((s) => [attr(s, 'id')!, s.textContent ?? '']))
  const presentationsOf = (lang: (typeof LANGUAGES)[number]) =>
    new Map(all(adml[lang], 'presentation').map((p) => [attr(p, 'id')!, p]))

  it.each(LANGUAGES)('%s: every string and presentation the ADMX names exists, none is empty', (lang) => {
    const strings = stringsOf(lang)
    for (const id of stringRefs) expect(strings.get(id)?.trim(), `${lang} string ${id}`).toBeTruthy()
    const presentations = presentationsOf(lang)
    for (const id of presentationRefs) expect(presentations.has(id), `${lang} presentation ${id}`).toBe(true)
    expect([...strings.keys()].sort()).toEqual([...stringsOf('en-US').keys()].sort())
    expect([...presentations.keys()].sort()).toEqual([...presentationsOf('en-US').keys()].sort())
  })

  it.each(LANGUAGES)(
    '%s: each policy explains its registry value; the controls match the ADMX elements',
    (lang) => {
      const strings = stringsOf(lang)
      const presentations = presentationsOf(lang)
      const CONTROL: Record<string, string> = {
        text: 'textBox',
        decimal: 'decimalTextBox',
        multiText: 'multiTextBox',
        enum: 'dropdownList',
      }
      for (const { valueName, path } of POLICY_SETTINGS) {
        const { policy, element } = writerOf(valueName)
        const explainId = /^\$\(string\.(.+)\)$/.exec(attr(policy, 'explainText') ?? '')?.[1]
        expect(strings.get(explainId ?? '')).toContain(valueName)
        if (element === policy) {
          expect(attr(policy, 'presentation')).toBeNull()
          continue
        }
        const presentationId = /^\$\(presentation\.(.+)\)$/.exec(attr(policy, 'presentation') ?? '')?.[1]
        const controls = kids(presentations.get(presentationId ?? '')!)
        expect(controls.map((c) => [c.localName, attr(c, 'refId')])).toEqual([
          [CONTROL[element.localName], attr(element, 'id')],
        ])
        const control = controls[0]!
        const fallback = defaultOf(LEAVES.get(path.join('.'))!)
        if (control.localName === 'decimalTextBox') {
          expect(Number(attr(control, 'defaultValue')), `${valueName} default`).toBe(fallback)
        }
        if (control.localName === 'dropdownList') {
          const options = (core(LEAVES.get(path.join('.'))!) as z.ZodEnum).options
          const item = attr(control, 'defaultItem')
          expect(item === null ? undefined : options[Number(item)], `${valueName} default`).toBe(fallback)
        }
      }
    },
  )

  it.each(['pt-BR', 'nl-NL'] as const)(
    '%s: the explanations are translated, not copied from English',
    (lang) => {
      const en = stringsOf('en-US')
      for (const [id, text] of stringsOf(lang)) {
        if (id.endsWith('_Explain')) expect(text, id).not.toBe(en.get(id))
      }
    },
  )
})

describe('README', () => {
  it('the managed deployment section lists every registry value', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const start = readme.indexOf('## Managed deployment')
    expect(start).toBeGreaterThan(-1)
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1))
    for (const { valueName } of POLICY_SETTINGS) expect(section).toContain(`\`${valueName}\``)
  })
})
