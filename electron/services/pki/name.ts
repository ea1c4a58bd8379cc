import { AsnConvert } from '@peculiar/asn1-schema'
import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509'
import { StationError } from '../../../shared/errors'

/**
 * Distinguished names as text (RFC 4514) both ways. `nameToString` is what the station shows; `parseName` turns
 * CM's `CertificateRequestGenerationOptions.Subject` (cm-rest-api.md §3.6) into the Name of a PKCS#10 request.
 */

/** Short attribute names (RFC 4514 §3 plus the ones Windows CAs write). */
const NAMES_BY_OID: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.42': 'G',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
}

/** Upper-case short name → OID, plus the long spellings Windows' CertStrToName accepts. */
const OIDS_BY_NAME: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(NAMES_BY_OID).map(([oid, n]) => [n, oid])),
  GN: '2.5.4.42',
  GIVENNAME: '2.5.4.42',
  SURNAME: '2.5.4.4',
  TITLE: '2.5.4.12',
  S: '2.5.4.8',
  EMAIL: '1.2.840.113549.1.9.1',
  EMAILADDRESS: '1.2.840.113549.1.9.1',
}

/** Attribute types whose value is an IA5String (RFC 4519 dc, PKCS#9 emailAddress) or PrintableString (X.520). */
const IA5_TYPES = new Set(['0.9.2342.19200300.100.1.25', '1.2.840.113549.1.9.1'])
const PRINTABLE_TYPES = new Set(['2.5.4.6', '2.5.4.5'])

/** Escape an attribute value for display (RFC 4514 §2.4, the characters that would be ambiguous). */
function escapeValue(value: string): string {
  return value
    .replace(/([,+"\\<>;])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ')
}

/** The text of one attribute value; a value in no string type is shown as `#hex` (RFC 4514 §2.4). */
function valueText(value: AttributeValue): string {
  if (value.anyValue) return '#' + Buffer.from(value.anyValue).toString('hex')
  return escapeValue(value.toString())
}

/** A Name as RFC 4514 text: RDNs in reverse order of the DER, multi-valued RDNs joined with `+`. */
export function nameToString(name: Name): string {
  return [...name]
    .reverse()
    .map((rdn) =>
      [...rdn].map((atv) => `${NAMES_BY_OID[atv.type] ?? atv.type}=${valueText(atv.value)}`).join('+'),
    )
    .join(', ')
}

/** One `type=value` of the text, with its separator (`,` ends the RDN, `+` continues it, `` = end). */
interface Token {
  type: string
  value: string | Buffer
  separator: ',' | '+' | ''
}

function invalid(text: string, why: string): StationError {
  return new StationError('invalid-response', {}, `subject "${text}" is not a distinguished name: ${why}`)
}

/** Split RFC 4514 text into tokens, resolving escapes (`\,`, `\XX` UTF-8 pairs), quotes and `#hex` values. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  const skipSpaces = () => {
    while (text[i] === ' ') i++
  }
  while (i < text.length) {
    skipSpaces()
    const eq = text.indexOf('=', i)
    if (eq < 0) throw invalid(text, 'an attribute without "="')
    const type = text.slice(i, eq).trim()
    if (!type) throw invalid(text, 'an empty attribute type')
    i = eq + 1
    skipSpaces()
    let value: string | Buffer
    if (text[i] === '#') {
      // BER-encoded value (RFC 4514 §2.4): kept as is.
      const m = /^#([0-9a-fA-F]{2})+/.exec(text.slice(i))
      if (!m) throw invalid(text, 'a bad #hex value')
      value = Buffer.from(m[0].slice(1), 'hex')
      i += m[0].length
      skipSpaces()
    } else if (text[i] === '"') {
      // Quoted value (RFC 2253 / Windows X.500 strings): everything up to the closing quote, `""` = `"`.
      let out = ''
      i++
      for (;;) {
        if (i >= text.length) throw invalid(text, 'an unterminated quote')
        if (text[i] === '"' && text[i + 1] === '"') {
          out += '"'
          i += 2
        } else if (text[i] === '"') {
          i++
          break
        } else out += text[i++]
      }
      value = out
      skipSpaces()
    } else {
      const bytes: number[] = []
      let trailingSpaces = 0
      while (i < text.length && text[i] !== ',' && text[i] !== '+' && text[i] !== ';') {
        const c = text[i]!
        if (c === '\\') {
          const hex = /^[0-9a-fA-F]{2}/.exec(text.slice(i + 1))
          if (hex) {
            bytes.push(parseInt(hex[0], 16))
            i += 3
          } else if (i + 1 < text.length) {
            bytes.push(...Buffer.from(text[i + 1]!, 'utf8'))
            i += 2
          } else throw invalid(text, 'a trailing "\\"')
          trailingSpaces = 0
          continue
        }
        trailingSpaces = c === ' ' ? trailingSpaces + 1 : 0
        bytes.push(...Buffer.from(c, 'utf8'))
        i++
      }
      // Unescaped trailing spaces are not part of the value (RFC 4514 §3).
      value = Buffer.from(bytes.slice(0, bytes.length - trailingSpaces)).toString('utf8')
    }
    const sep = text[i]
    tokens.push({ type, value, separator: sep === '+' ? '+' : sep === undefined ? '' : ',' })
    if (sep !== undefined) {
      i++
      if (i >= text.length) throw invalid(text, 'a trailing separator')
    }
  }
  return tokens
}

function oidOf(type: string, text: string): string {
  const t = type.replace(/^oid\./i, '')
  if (/^\d+(\.\d+)+$/.test(t)) return t
  const oid = OIDS_BY_NAME[t.toUpperCase()]
  if (!oid) throw invalid(text, `unknown attribute type ${type}`)
  return oid
}

function attributeValue(oid: string, value: string | Buffer): AttributeValue {
  if (Buffer.isBuffer(value)) {
    return new AttributeValue({ anyValue: Uint8Array.from(value).buffer })
  }
  if (IA5_TYPES.has(oid) && [...value].every((ch) => ch.charCodeAt(0) < 0x80))
    return new AttributeValue({ ia5String: value })
  if (PRINTABLE_TYPES.has(oid) && /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value)) {
    return new AttributeValue({ printableString: value })
  }
  return new AttributeValue({ utf8String: value })
}

/**
 * Parse RFC 4514 text (`CN=Ana Souza, OU=Users, DC=corp, DC=contoso, DC=com`; escapes, `+` for multi-valued RDNs,
 * `#hex` values, short names or dotted OIDs) into a Name in DER order (the reverse of the text). `''` gives the
 * empty Name. DC and E values are IA5String, C and SERIALNUMBER PrintableString, the rest UTF8String (RFC 5280
 * §4.1.2.6). Throws StationError('invalid-response') when the text is not a distinguished name (it comes from CM).
 */
export function parseName(text: string): Name {
  if (text.trim() === '') return new Name([])
  const rdns: RelativeDistinguishedName[] = []
  let current: AttributeTypeAndValue[] = []
  for (const token of tokenize(text)) {
    const oid = oidOf(token.type, text)
    current.push(new AttributeTypeAndValue({ type: oid, value: attributeValue(oid, token.value) }))
    if (token.separator !== '+') {
      // A multi-valued RDN is a SET OF: DER orders its members by their encodings (X.690 §11.6).
      const der = (atv: AttributeTypeAndValue) => Buffer.from(AsnConvert.serialize(atv))
      current.sort((a, b) => Buffer.compare(der(a), der(b)))
      rdns.push(new RelativeDistinguishedName(current))
      current = []
    }
  }
  return new Name(rdns.reverse())
}

/** True when two Names have the same DER encoding (issuer/subject chaining). */
export function sameName(a: Name, b: Name): boolean {
  return Buffer.from(AsnConvert.serialize(a)).equals(Buffer.from(AsnConvert.serialize(b)))
}
