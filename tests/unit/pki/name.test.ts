import { AsnConvert } from '@peculiar/asn1-schema'
import { describe, expect, it } from 'vitest'
import { nameToString, parseName } from '../../../electron/services/pki/name'
import { StationError } from '../../../shared/errors'

/** RFC 4514 text ↔ Name: what CM's Subject option (§3.6) turns into, and what the station shows. */

const der = (text: string) => Buffer.from(AsnConvert.serialize(parseName(text)))

describe('parseName / nameToString', () => {
  it("'' (the CA builds the subject) is the empty Name, DER 30 00", () => {
    expect(der('').toString('hex')).toBe('3000')
    expect(der('   ').toString('hex')).toBe('3000')
    expect(nameToString(parseName(''))).toBe('')
  })

  it.each([
    'CN=Ana Souza, OU=Users, DC=corp, DC=contoso, DC=com',
    'CN=Souza\\, Ana, O=Contoso',
    'CN=Ana+UID=asouza, OU=Users',
    'CN=\\#hash\\, \\+plus\\; semi \\\\ back \\"q\\" \\<lt\\>, C=BR',
    'CN=José Ünal, L=São Paulo',
    'CN=\\ leading and trailing\\ ',
    'E=ana@contoso.com, SERIALNUMBER=12345',
  ])('round-trips %s', (text) => {
    expect(nameToString(parseName(text))).toBe(text)
  })

  it('keeps the DER order the reverse of the text, with the right string types', () => {
    const name = parseName('CN=Ana, OU=Users, DC=corp, C=BR')
    expect([...name].map((rdn) => rdn[0]!.type)).toEqual([
      '2.5.4.6',
      '0.9.2342.19200300.100.1.25',
      '2.5.4.11',
      '2.5.4.3',
    ])
    expect(name[0]![0]!.value.printableString).toBe('BR')
    expect(name[1]![0]!.value.ia5String).toBe('corp')
    expect(name[3]![0]!.value.utf8String).toBe('Ana')
  })

  it('reads hex escapes as UTF-8, quoted values, long and OID attribute names, #hex values', () => {
    expect(nameToString(parseName('cn=Jos\\C3\\A9'))).toBe('CN=José')
    expect(nameToString(parseName('CN="Souza, Ana"'))).toBe('CN=Souza\\, Ana')
    expect(nameToString(parseName('givenName=Ana, surname=Souza, OID.2.5.4.11=Users'))).toBe(
      'G=Ana, SN=Souza, OU=Users',
    )
    expect(nameToString(parseName('2.5.4.3=#0c03416e61'))).toBe('CN=#0c03416e61')
    expect(der('2.5.4.3=#0c03416e61').includes(Buffer.from('0c03416e61', 'hex'))).toBe(true)
    // Separators with spaces around them, and the RFC 2253 ';'
    expect(nameToString(parseName('CN = Ana ;  O = Contoso'))).toBe('CN=Ana, O=Contoso')
  })

  it('orders the members of a multi-valued RDN by their DER (SET OF)', () => {
    expect(der('UID=ana+CN=Ana')).toEqual(der('CN=Ana+UID=ana'))
  })

  it.each(['CN', 'CN=Ana,', 'FOO=bar', '=x', 'CN="open', 'CN=a\\', 'CN=#zz'])(
    'rejects %j with StationError invalid-response',
    (text) => {
      expect(() => parseName(text)).toThrow(StationError)
      try {
        parseName(text)
      } catch (e) {
        expect((e as StationError).code).toBe('invalid-response')
      }
    },
  )
})
