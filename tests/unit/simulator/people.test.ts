import { describe, expect, it } from 'vitest'
import {
  COMMON_SURNAME,
  DEPARTMENTS,
  TRICKY_PEOPLE,
  generatePeople,
} from '../../../electron/simulator/directory/people'

const GUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('generatePeople (directory test people)', () => {
  const people = generatePeople({ count: 2000 })

  it('is deterministic for (seed, count) and differs with the seed', () => {
    expect(generatePeople({ count: 2000 })).toEqual(people)
    expect(generatePeople({ count: 50, seed: 'other' })).not.toEqual(generatePeople({ count: 50 }))
    expect(generatePeople({ count: 0 })).toEqual([])
  })

  it('gives unique v4 uuids, accounts, UPNs, e-mails and 6-digit employee numbers', () => {
    const uniq = (values: (string | null)[]) => new Set(values).size
    expect(people).toHaveLength(2000)
    expect(people.every((p) => GUID_V4.test(p.uuid))).toBe(true)
    expect(uniq(people.map((p) => p.uuid))).toBe(2000)
    expect(uniq(people.map((p) => p.samAccountName.toLowerCase()))).toBe(2000)
    expect(uniq(people.map((p) => p.upn))).toBe(2000)
    expect(uniq(people.map((p) => p.email))).toBe(2000)
    expect(uniq(people.map((p) => p.employeeNumber))).toBe(2000)
    expect(people.every((p) => /^\d{6}$/.test(p.employeeNumber ?? ''))).toBe(true)
  })

  it('builds account, UPN and e-mail from an ASCII account name of at most 20 characters', () => {
    for (const p of people) {
      expect(p.samAccountName).toMatch(/^[a-z0-9]{1,20}$/)
      expect(p.account).toBe(`CORP\\${p.samAccountName}`)
      expect(p.upn).toBe(`${p.samAccountName}@corp.contoso.com`)
      expect(p.email).toMatch(/^[a-z0-9]+\.[a-z0-9]+@contoso\.com$/)
      expect(p.displayName).toBe(`${p.givenName} ${p.surname}`)
      expect(DEPARTMENTS).toContain(p.department)
    }
    const [other] = generatePeople({ count: 1, domain: 'FABRIKAM', dnsDomain: 'fabrikam.example' })
    expect(other!.account).toBe(`FABRIKAM\\${other!.samAccountName}`)
    expect(other!.upn).toBe(`${other!.samAccountName}@fabrikam.example`)
  })

  it(`has at least 600 ${COMMON_SURNAME} in 2,000 (paging past a size limit of 500)`, () => {
    expect(people.filter((p) => p.surname === COMMON_SURNAME)).toHaveLength(700)
  })

  it('mixes Brazilian accents, Dutch particles and English names', () => {
    const names = people.map((p) => p.displayName).join('\n')
    for (const accent of ['ã', 'ç', 'ô', 'í', 'ú']) expect(names).toContain(accent)
    expect(names).toMatch(/ (van den|de|van der) [A-Z]/)
    expect(names).toMatch(/\bIJ/)
    expect(people.some((p) => p.surname === "'t Hooft" || p.surname === "O'Brien")).toBe(true)
    expect(people.some((p) => ['Smith', 'Jones', 'Taylor'].includes(p.surname))).toBe(true)
    const goncalves = people.find((p) => p.surname === 'Gonçalves')!
    expect(goncalves.samAccountName).toMatch(/^[a-z]goncalves\d*$/)
  })

  it('puts the tricky people first when asked, with plain ASCII accounts and e-mails', () => {
    const tricky = generatePeople({ count: 2000, tricky: true })
    expect(tricky.slice(0, TRICKY_PEOPLE.length).map((p) => p.displayName)).toEqual([
      'Star*Light',
      'Pat (Contractor) Lee',
      'Back\\Slash Jr',
      'Open(Paren',
      '*Asterisk First',
    ])
    expect(tricky[0]).toMatchObject({ givenName: 'Star*', surname: 'Light' })
    for (const p of tricky.slice(0, TRICKY_PEOPLE.length)) {
      expect(p.samAccountName).toMatch(/^[a-z0-9]+$/)
      expect(p.email).toMatch(/^[a-z0-9.]+@contoso\.com$/)
    }
    expect(tricky.filter((p) => p.surname === COMMON_SURNAME)).toHaveLength(700)
    expect(people.some((p) => /[*()\\]/.test(p.displayName))).toBe(false)
  })
})
