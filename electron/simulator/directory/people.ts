import type { UserUuid } from '../../../shared/domain/cm'
import type { DirectoryPerson } from '../../../shared/domain/directory'
import { SeededRng } from '../cm/rng'

/**
 * Deterministic people for directory tests and demos (issue "Find the holder"): a Brazilian / Dutch / English mix
 * with accents and particles, plus one very common surname so that a single search passes a server's size limit.
 * Plain Node, no test dependencies: the slapd lab harness and the training directory can both use it.
 */

/** A generated person: the directory view plus the parts an LDAP entry is built from. */
export interface GeneratedPerson extends DirectoryPerson {
  givenName: string
  /** `sn`: may hold spaces and particles ("van den Berg", "'t Hooft"). */
  surname: string
  /** ASCII, lower case, ≤ 20 characters (Active Directory's sAMAccountName limit). */
  samAccountName: string
}

/** Options of generatePeople. */
export interface GeneratePeopleOptions {
  count: number
  /** RNG seed; the same (seed, count) always gives the same people. */
  seed?: string
  /** NetBIOS domain of `account` (`CORP\jsouza`). */
  domain?: string
  /** DNS domain of the UPN (`jsouza@corp.contoso.com`). */
  dnsDomain?: string
  /** Put the TRICKY_PEOPLE (LDAP filter metacharacters in their names) first. */
  tricky?: boolean
}

/** The surname shared by COMMON_SURNAME_SHARE of the people (LDAP paging past a size limit). */
export const COMMON_SURNAME = 'Souza'

/**
 * Exactly round(0.35 × count) people are called Souza (700 of 2,000: more than the 600 a paging test needs past
 * a size limit of 500), whatever the seed.
 */
export const COMMON_SURNAME_SHARE = 0.35

/** The default seed. */
export const DEFAULT_PEOPLE_SEED = 'station-directory-people'

/** Departments, in English as most directories hold them. */
export const DEPARTMENTS = [
  'Finance',
  'Facilities',
  'Human Resources',
  'IT Operations',
  'Legal',
  'Logistics',
  'Research',
  'Sales',
  'Security',
  'Customer Service',
] as const

/** [given, surname, displayName] of the people that `tricky: true` puts first (LDAP filter injection tests). */
export const TRICKY_PEOPLE: readonly (readonly [string, string, string])[] = [
  ['Star*', 'Light', 'Star*Light'],
  ['Pat (Contractor)', 'Lee', 'Pat (Contractor) Lee'],
  ['Back\\Slash', 'Jr', 'Back\\Slash Jr'],
  ['Open(', 'Paren', 'Open(Paren'],
  ['*Asterisk', 'First', '*Asterisk First'],
]

interface Origin {
  given: readonly string[]
  surnames: readonly string[]
}

const BRAZILIAN: Origin = {
  given: [
    'João',
    'José',
    'Antônio',
    'Luíza',
    'Sônia',
    'Ana',
    'Márcia',
    'Fábio',
    'Lúcia',
    'Thaís',
    'Letícia',
    'Cecília',
    'Inês',
    'Júlia',
    'André',
    'Vitória',
    'Heloísa',
    'Caio',
    'Rafael',
    'Beatriz',
    'Conceição',
    'Sérgio',
  ],
  surnames: [
    'Gonçalves',
    'Araújo',
    'Conceição',
    'Silva',
    'Santos',
    'Oliveira',
    'Pereira',
    'Ferreira',
    'Rodrigues',
    'Almeida',
    'Carvalho',
    'Ribeiro',
    'Magalhães',
    'Brandão',
    'Simões',
    'Assunção',
    'Falcão',
    'da Costa',
    'dos Reis',
  ],
}

const DUTCH: Origin = {
  given: [
    'Sanne',
    'Daan',
    'Thijs',
    'IJsbrand',
    'Anouk',
    'Sem',
    'Lieke',
    'Bram',
    'Femke',
    'Joost',
    'Maarten',
    'Eline',
    'Floor',
    'Ruud',
    'Noël',
    'Chloë',
  ],
  surnames: [
    'de Vries',
    'van den Berg',
    'Bakker',
    'Jansen',
    'Visser',
    'Smit',
    'de Jong',
    'van Dijk',
    'Mulder',
    'de Boer',
    'van der Meer',
    "'t Hooft",
    'Dekker',
    'Verhoeven',
    'IJzerman',
  ],
}

const ENGLISH: Origin = {
  given: [
    'James',
    'Olivia',
    'William',
    'Emily',
    'Oliver',
    'Charlotte',
    'George',
    'Amelia',
    'Harry',
    'Sophie',
    'Zoë',
  ],
  surnames: [
    'Smith',
    'Jones',
    'Taylor',
    'Brown',
    'Williams',
    'Wilson',
    'Evans',
    'Thomas',
    'Johnson',
    "O'Brien",
    'Hughes',
  ],
}

// Weights of the origins for people without the common surname (Brazilian, Dutch, English).
const ORIGINS: readonly (readonly [Origin, number])[] = [
  [BRAZILIAN, 45],
  [DUTCH, 30],
  [ENGLISH, 25],
]

/** ASCII letters and digits only, lower case: accents dropped ("Gonçalves" → "goncalves", "'t Hooft" → "thooft"). */
export function asciiFold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
}

/** `count` people, identical for the same (seed, count); see COMMON_SURNAME_SHARE and TRICKY_PEOPLE. */
export function generatePeople(options: GeneratePeopleOptions): GeneratedPerson[] {
  const count = Math.max(0, Math.floor(options.count))
  const rng = new SeededRng(options.seed ?? DEFAULT_PEOPLE_SEED)
  const domain = options.domain ?? 'CORP'
  const dnsDomain = options.dnsDomain ?? 'corp.contoso.com'
  const names = pickNames(rng, count, options.tricky === true)

  const uuids = new Set<string>()
  const accounts = new Set<string>()
  const emails = new Set<string>()
  const numbers = new Set<string>()
  return names.map(([givenName, surname, displayName]) => {
    let uuid = rng.guid('uuid')
    while (uuids.has(uuid)) uuid = rng.guid('uuid')
    uuids.add(uuid)
    const samAccountName = unique(accounts, `${asciiFold(givenName).slice(0, 1)}${asciiFold(surname)}`, 20)
    const local = unique(emails, `${asciiFold(givenName)}.${asciiFold(surname)}`, 64)
    let employeeNumber = String(100_000 + rng.int('employee-number', 900_000))
    while (numbers.has(employeeNumber)) employeeNumber = String(100_000 + rng.int('employee-number', 900_000))
    numbers.add(employeeNumber)
    return {
      uuid: uuid as UserUuid,
      displayName,
      account: `${domain}\\${samAccountName}`,
      upn: `${samAccountName}@${dnsDomain}`,
      email: `${local}@contoso.com`,
      department: DEPARTMENTS[rng.int('department', DEPARTMENTS.length)]!,
      employeeNumber,
      givenName,
      surname,
      samAccountName,
    }
  })
}

// [given, surname, displayName] for every person: tricky ones first, then a seeded mix in which exactly
// round(COMMON_SURNAME_SHARE × count) people (at seeded positions) carry the common surname.
function pickNames(rng: SeededRng, count: number, tricky: boolean): (readonly [string, string, string])[] {
  const head = tricky ? TRICKY_PEOPLE.slice(0, count) : []
  const rest = count - head.length
  const common = Math.min(rest, Math.round(COMMON_SURNAME_SHARE * count))
  const isCommon = Array.from({ length: rest }, (_, i) => i < common)
  for (let i = rest - 1; i > 0; i--) {
    const j = rng.int('common-surname', i + 1)
    ;[isCommon[i], isCommon[j]] = [isCommon[j]!, isCommon[i]!]
  }
  const names = isCommon.map((souza): readonly [string, string, string] => {
    // Souza is a Brazilian surname: mostly Brazilian given names, a few from elsewhere (families mix).
    const origin = souza && rng.int('origin', 5) > 0 ? BRAZILIAN : weighted(rng)
    const given = origin.given[rng.int('given', origin.given.length)]!
    const surname = souza ? COMMON_SURNAME : origin.surnames[rng.int('surname', origin.surnames.length)]!
    return [given, surname, `${given} ${surname}`]
  })
  return [...head, ...names]
}

function weighted(rng: SeededRng): Origin {
  const total = ORIGINS.reduce((sum, [, w]) => sum + w, 0)
  let r = rng.int('origin', total)
  for (const [origin, w] of ORIGINS) {
    if (r < w) return origin
    r -= w
  }
  return ORIGINS[0]![0]
}

// `base`, or base + 2, 3, … (cut so the whole stays within `max` characters) when already taken.
function unique(taken: Set<string>, base: string, max: number): string {
  const stem = base || 'user'
  let candidate = stem.slice(0, max)
  for (let n = 2; taken.has(candidate); n++) candidate = `${stem.slice(0, max - String(n).length)}${n}`
  taken.add(candidate)
  return candidate
}
