import { InvalidCredentialsError, SizeLimitExceededError, TimeLimitExceededError } from 'ldapts'
import { describe, expect, it } from 'vitest'
import { directoryConfigSchema } from '../../../electron/services/config'
import { directoryErrorCode } from '../../../electron/services/directory/ldap-directory'
import { peopleFilter, uuidFilter } from '../../../electron/services/directory/people-filter'
import { StationError } from '../../../shared/errors'

const AD = directoryConfigSchema.parse({
  url: 'ldaps://dc1.corp.contoso.com',
  baseDn: 'DC=corp,DC=contoso,DC=com',
  bindDn: 'svc-station@corp.contoso.com',
  domain: 'CORP',
}).attributes

const f = (q: string) => peopleFilter(q, AD, 'user', 'CORP')?.toString() ?? null

describe('peopleFilter: operator text → LDAP filter objects', () => {
  it('an account with its domain searches the account name only', () => {
    expect(f('CORP\\ana.sou')).toBe('(&(objectClass=user)(sAMAccountName=ana.sou*))')
    expect(f('corp\\ana.sou')).toBe('(&(objectClass=user)(sAMAccountName=ana.sou*))')
  })

  it('an e-mail or UPN, an employee number', () => {
    expect(f('ana.souza@')).toBe('(&(objectClass=user)(|(mail=ana.souza@*)(userPrincipalName=ana.souza@*)))')
    expect(f(' 004711 ')).toBe('(&(objectClass=user)(employeeID=004711*))')
  })

  it('every word of a name must match (given name, surname start or inside, display name, account, e-mail)', () => {
    expect(f('ana vries')).toBe(
      '(&(objectClass=user)(|(&' +
        '(|(givenName=ana*)(sn=ana*)(sn=*ana*)(displayName=ana*)(sAMAccountName=ana*)(mail=ana*)(department=ana*))' +
        '(|(givenName=vries*)(sn=vries*)(sn=*vries*)(displayName=vries*)(sAMAccountName=vries*)(mail=vries*)' +
        '(department=vries*)))' +
        '(displayName=ana vries*)))',
    )
  })

  it('filter syntax typed by the operator stays a literal value (RFC 4515 escapes in the text form)', () => {
    const text = f('*)(objectClass=*')!
    expect(text).toContain('(givenName=\\2a\\29\\28objectClass=\\2a*)')
    expect(text).not.toContain('(objectClass=*)')
    // A backslash after anything but the station's domain is part of a name.
    expect(f('Back\\Slash')).toContain('(displayName=Back\\5cSlash*)')
    expect(f('Pat (Contractor)')).toContain('(givenName=\\28Contractor\\29*)')
  })

  it('"Souza, Ana" is two words; control characters are dropped, never sent', () => {
    expect(f('Souza, Ana')).toContain('(givenName=Souza*)')
    expect(f('Souza, Ana')).toContain('(givenName=Ana*)')
    expect(f('a\u0000b')).toBe(f('ab'))
  })

  it('nothing to search: empty text, a bare domain', () => {
    expect(f('   ')).toBeNull()
    expect(f('CORP\\')).toBeNull()
  })

  it('GUID lookups: binary objectGUID values go as raw bytes', () => {
    const one = uuidFilter([Buffer.from('33221100554477668899aabbccddeeff', 'hex')], AD).toString()
    expect(one).toBe('(objectGUID=\\33\\22\\11\\00\\55\\44\\77\\66\\88\\99\\aa\\bb\\cc\\dd\\ee\\ff)')
    const two = uuidFilter(['a', 'b'], { ...AD, uuid: 'entryUUID' }).toString()
    expect(two).toBe('(|(entryUUID=a)(entryUUID=b))')
  })
})

describe('directoryErrorCode: what the operator is told', () => {
  it.each([
    [new InvalidCredentialsError('bad'), 'directory-auth-failed'],
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'directory-unavailable'],
    [new Error('Connection timeout'), 'directory-unavailable'],
    [Object.assign(new Error('x'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }), 'directory-untrusted-certificate'],
    [
      Object.assign(new Error('x'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }),
      'directory-untrusted-certificate',
    ],
    [
      Object.assign(new Error('x'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }),
      'directory-untrusted-certificate',
    ],
    [new Error('SearchRequest: Operation timed out'), 'directory-timeout'],
    [new TimeLimitExceededError('t'), 'directory-timeout'],
    [new SizeLimitExceededError('s'), 'too-many-results'],
    [new StationError('too-many-results'), 'too-many-results'],
    ['something odd', 'directory-unavailable'],
  ] as const)('%s → %s', (error, code) => {
    expect(directoryErrorCode(error)).toBe(code)
  })
})

describe('directory configuration', () => {
  const base = { url: 'ldaps://dc1', baseDn: 'DC=x', bindDn: 'svc@x', domain: 'CORP' }
  it('defaults to Active Directory attributes and TLS-only URLs', () => {
    const c = directoryConfigSchema.parse(base)
    expect(c).toMatchObject({ personClass: 'user', domain: 'CORP', pageSize: 500, maxResults: 1000 })
    expect(c.attributes).toMatchObject({
      uuid: 'objectGUID',
      uuidEncoding: 'binary',
      account: 'sAMAccountName',
    })
  })
  it.each([
    [{ ...base, url: 'http://dc1' }],
    [{ ...base, url: 'ldaps://dc1/DC=x' }],
    [{ ...base, bindPassword: 'secret' }], // never in the configuration
    [{ ...base, caFile: 'relative.pem' }],
    [{ ...base, attributes: { uuid: 'object GUID' } }],
    [{ ...base, domain: 'NOT A NAME' }],
    [{ ...base, domain: undefined }], // the NetBIOS name is the estate's own: never guessed
    [{ ...base, url: 'ldaps://svc:secret@dc1' }], // credentials never in the URL
  ])('refuses %j', (raw) => {
    expect(directoryConfigSchema.safeParse(raw).success).toBe(false)
  })
})
