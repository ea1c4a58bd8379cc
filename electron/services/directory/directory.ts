import type { UserUuid } from '../../../shared/domain/cm'
import { normalizeGuid } from '../../../shared/domain/cm'
import type { DirectoryPerson } from '../../../shared/domain/directory'

/**
 * The directory the CM server itself uses (issue "Find the holder"): people by name, account, e-mail or employee
 * number, and one person by the GUID CM writes. The enrollment flow and the renderer only see this interface; the
 * composition (electron/station) picks the implementation (training: the simulator's users; later LDAP).
 */
export interface Directory {
  /** People matching `query` (case- and accent-insensitive prefix of a name word, account, e-mail, number). */
  search(query: string, limit: number): Promise<DirectoryPerson[]>
  /** The people with these GUIDs (unknown GUIDs are left out). */
  lookup(uuids: readonly UserUuid[]): Promise<DirectoryPerson[]>
}

/** Lower case, accents removed (NFD and combining marks dropped): "Souza" matches "souza", "Gonçalves" "goncalves". */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
}

/**
 * A directory held in memory (training mode: the simulator's seeded users). Search matches the start of any word of
 * the display name, the account (with or without its domain), the UPN, the e-mail or the employee number.
 */
export class StaticDirectory implements Directory {
  private readonly people: readonly DirectoryPerson[]

  constructor(people: readonly DirectoryPerson[]) {
    this.people = people.map((p) => ({ ...p, uuid: (normalizeGuid(p.uuid) ?? p.uuid) as UserUuid }))
  }

  async search(query: string, limit: number): Promise<DirectoryPerson[]> {
    const q = foldForSearch(query.trim())
    if (q === '') return []
    const hits = this.people.filter((p) => keysOf(p).some((k) => k.startsWith(q)))
    return hits
      .slice()
      .sort((a, b) => a.displayName.localeCompare(b.displayName))
      .slice(0, limit)
      .map((p) => ({ ...p }))
  }

  async lookup(uuids: readonly UserUuid[]): Promise<DirectoryPerson[]> {
    const wanted = new Set(uuids.map((u) => normalizeGuid(u) ?? u))
    return this.people.filter((p) => wanted.has(p.uuid)).map((p) => ({ ...p }))
  }
}

function keysOf(p: DirectoryPerson): string[] {
  const keys: string[] = []
  const name = foldForSearch(p.displayName)
  keys.push(name, ...name.split(/[\s,.'-]+/).filter(Boolean))
  const account = foldForSearch(p.account)
  keys.push(account, account.split('\\').pop() ?? account)
  for (const v of [p.upn, p.email, p.employeeNumber]) if (v) keys.push(foldForSearch(v))
  return keys
}
