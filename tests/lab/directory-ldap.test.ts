import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { directoryConfigSchema, type DirectoryConfig } from '../../electron/services/config'
import { LdapDirectory } from '../../electron/services/directory/ldap-directory'
import { createLogger } from '../../electron/services/log'
import { COMMON_SURNAME, type GeneratedPerson } from '../../electron/simulator/directory/people'
import type { UserUuid } from '../../shared/domain/cm'
import { StationError } from '../../shared/errors'
import { slapdUnavailableReason, startSlapd, type SlapdServer } from './slapd-harness'

// The station's LDAP directory against a real OpenLDAP slapd that looks like Active Directory to a client
// (objectGUID in .NET byte order, sAMAccountName, userPrincipalName, employeeID, objectClass user), seeded with
// 2,000 people and a server size limit of 500 (issue "Find the holder", lab acceptance).
const unavailable = slapdUnavailableReason()
const required = process.env.REQUIRE_PCSC_LAB === '1'
if (unavailable && !required) console.warn(`\n*** SKIPPED: slapd lab unavailable (${unavailable}) ***\n`)

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (error) {
    if (error instanceof StationError) return error.code
    throw error
  }
  throw new Error('expected a failure')
}

describe.skipIf(unavailable !== null && !required)(
  'LDAP directory against slapd (AD-like, 2,000 people)',
  () => {
    let server: SlapdServer
    const logLines: string[] = []
    const configFor = (overrides: Partial<DirectoryConfig> = {}): DirectoryConfig =>
      directoryConfigSchema.parse({
        url: server.ldapsUrl,
        baseDn: server.baseDn,
        bindDn: server.bindDn,
        caFile: server.caFile,
        domain: 'CORP',
        timeoutMs: 2000,
        ...overrides,
      })
    const directoryWith = (overrides: Partial<DirectoryConfig> = {}, password?: string | null) =>
      new LdapDirectory({
        config: configFor(overrides),
        bindPassword: async () => (password === undefined ? server.bindPassword : password),
        // The station's logger at debug level: afterwards no credential may be in what it wrote.
        log: createLogger((line) => logLines.push(line), 'debug'),
      })
    const person = (pred: (p: GeneratedPerson) => boolean): GeneratedPerson => {
      const found = server.people.find(pred)
      if (!found) throw new Error('no such seeded person')
      return found
    }
    const view = (p: GeneratedPerson) => ({
      uuid: p.uuid,
      displayName: p.displayName,
      account: p.account,
      upn: p.upn,
      email: p.email,
      department: p.department,
      employeeNumber: p.employeeNumber,
    })

    beforeAll(async () => {
      server = await startSlapd({ people: 2000, tricky: true, sizeLimit: 500 })
    })

    afterAll(async () => {
      await server?.stop()
    })

    it('finds a person by name words, account (DOMAIN\\user), UPN, e-mail and employee number, with every field', async () => {
      const dir = directoryWith()
      const target = person(
        (p) => p.surname !== COMMON_SURNAME && !p.surname.includes(' ') && /^[a-z]+$/i.test(p.givenName),
      )
      const expectHit = async (query: string) => {
        const { people } = await dir.search(query, 100)
        expect(
          people.map((p) => p.uuid),
          query,
        ).toContain(target.uuid)
        expect(people.find((p) => p.uuid === target.uuid)).toEqual(view(target))
      }
      await expectHit(`${target.givenName} ${target.surname}`)
      await expectHit(`${target.surname.slice(0, 4)} ${target.givenName.slice(0, 3)}`)
      await expectHit(`CORP\\${target.samAccountName}`)
      await expectHit(target.upn!)
      await expectHit(target.email!.slice(0, target.email!.indexOf('@') + 1))
      await expectHit(target.employeeNumber!)
      const exact = await dir.search(target.employeeNumber!, 20)
      expect(exact.total).toBe(1)
    })

    it('looks people up by GUID (objectGUID in .NET byte order) and, with the OpenLDAP map, by entryUUID text', async () => {
      const some = server.people.slice(10, 14)
      const unknown = '00000000-0000-4000-8000-000000000001' as UserUuid
      const uuids = [...some.map((p) => p.uuid.toUpperCase() as UserUuid), unknown]
      const ad = await directoryWith().lookup(uuids)
      expect(ad.map((p) => p.uuid).sort()).toEqual(some.map((p) => p.uuid).sort())
      const openldap = directoryWith({
        personClass: 'inetOrgPerson',
        attributes: { ...configFor().attributes, uuid: 'entryUUID', uuidEncoding: 'text', account: 'uid' },
      })
      const viaEntryUuid = await openldap.lookup(uuids)
      expect(viaEntryUuid.map((p) => p.uuid).sort()).toEqual(some.map((p) => p.uuid).sort())
      const first = (await openldap.search(some[0]!.employeeNumber!, 5)).people[0]
      expect(first?.uuid).toBe(some[0]!.uuid)
    })

    it('pages past the server size limit (500): every Souza is counted, the first ones sorted by name', async () => {
      const souzas = server.people.filter((p) => p.surname === COMMON_SURNAME)
      expect(souzas.length).toBeGreaterThan(500)
      const { people, total } = await directoryWith({ pageSize: 200 }).search(COMMON_SURNAME, 25)
      expect(total).toBe(souzas.length)
      expect(people).toHaveLength(25)
      const names = people.map((p) => p.displayName)
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)))
    })

    it('more matches than the station reads: too-many-results (type more)', async () => {
      expect(await failure(directoryWith({ maxResults: 100 }).search(COMMON_SURNAME, 20))).toBe(
        'too-many-results',
      )
    })

    it('accents typed by the operator match; filter metacharacters are literal (no injection)', async () => {
      const dir = directoryWith()
      const accented = person((p) => /[À-ÿ]/.test(p.surname) && !p.surname.includes(' '))
      const hit = await dir.search(accented.surname, 100)
      expect(hit.people.map((p) => p.uuid)).toContain(accented.uuid)
      for (const p of hit.people)
        expect(p.displayName.toLowerCase()).toContain(accented.surname.toLowerCase())

      const tricky = async (query: string) => (await dir.search(query, 100)).people.map((p) => p.displayName)
      expect(await tricky('Star*')).toEqual(['Star*Light'])
      expect(await tricky('*')).toEqual(['*Asterisk First']) // not everyone
      expect(await tricky('*Aster')).toEqual(['*Asterisk First'])
      expect(await tricky('Pat (Contractor)')).toEqual(['Pat (Contractor) Lee'])
      expect(await tricky('Open(')).toEqual(['Open(Paren'])
      expect(await tricky('Back\\Slash')).toEqual(['Back\\Slash Jr'])
      expect(await tricky('*)(objectClass=*')).toEqual([])
      expect(await tricky('x)(|(sn=*')).toEqual([])
      expect(await tricky('\\2a')).toEqual([])
    })

    it('StartTLS on ldap:// works; an untrusted certificate is refused over LDAPS and StartTLS', async () => {
      const p = server.people[42]!
      const starttls = await directoryWith({ url: server.ldapUrl }).search(p.employeeNumber!, 5)
      expect(starttls.people[0]?.uuid).toBe(p.uuid)
      expect(await failure(directoryWith({ caFile: server.wrongCaFile }).search('ana', 5))).toBe(
        'directory-untrusted-certificate',
      )
      expect(
        await failure(directoryWith({ url: server.ldapUrl, caFile: server.wrongCaFile }).search('ana', 5)),
      ).toBe('directory-untrusted-certificate')
      // Without a CA file the system's roots are used: the lab CA is not among them.
      expect(await failure(directoryWith({ caFile: undefined }).search('ana', 5))).toBe(
        'directory-untrusted-certificate',
      )
    })

    it('a wrong or missing bind password: directory-auth-failed; the same password is not tried again', async () => {
      const wrong = directoryWith({}, 'not-the-password')
      expect(await failure(wrong.search('ana', 5))).toBe('directory-auth-failed')
      const before = logLines.length
      // An AD lockout policy counts failed binds: a desk typing must not lock the shared service account out.
      expect(await failure(wrong.search('anab', 5))).toBe('directory-auth-failed')
      expect(logLines.slice(before).join('\n')).toContain('not retried yet')
      expect(await failure(directoryWith({}, null).lookup([server.people[0]!.uuid]))).toBe(
        'directory-auth-failed',
      )
    })

    it('settings that cannot work are told as such: an unreadable CA file, a page above the server limit', async () => {
      expect(await failure(directoryWith({ caFile: '/nonexistent/ca.pem' }).search('ana', 5))).toBe(
        'directory-misconfigured',
      )
      expect(await failure(directoryWith({ pageSize: 1000 }).search(COMMON_SURNAME, 5))).toBe(
        'directory-misconfigured',
      )
    })

    it('no credential in the station log', () => {
      const text = logLines.join('\n')
      expect(text).toContain('directory-auth-failed') // the failures above were logged…
      expect(text).not.toContain(server.bindPassword) // …without the password
      expect(text).not.toContain('not-the-password')
    })

    it('a stopped server: directory-unavailable within the timeout', async () => {
      const dir = directoryWith({ timeoutMs: 1500 })
      await dir.search('ana', 5) // reachable a moment ago (the CA file is read once; stop() removes it)
      await server.stop()
      const t0 = Date.now()
      expect(await failure(dir.search('ana', 5))).toBe('directory-unavailable')
      const elapsed = Date.now() - t0
      // "Within the timeout" is the acceptance, a bound and not a measurement: connect + bind + one page.
      expect(elapsed).toBeLessThan(1500 * 4)
    })
  },
)
