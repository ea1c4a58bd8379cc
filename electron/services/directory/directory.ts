import type { UserUuid } from '../../../shared/domain/cm'
import { normalizeGuid } from '../../../shared/domain/cm'
import type { DirectoryPerson, DirectorySearchResult } from '../../../shared/domain/directory'

export type { DirectorySearchResult }

/**
 * The directory the CM server itself uses (issue "Find the holder"): people by name, account, e-mail or employee
 * number, and one person by the GUID CM writes. The enrollment flow and the renderer only see this interface; the
 * composition (electron/station) picks the implementation: LDAP (ldap-directory.ts) when configured, else in
 * training mode the simulator's people (StaticDirectory).
 */
export interface Directory {
  /**
   * The first `limit` people matching `query` (a name word, account, e-mail or employee number it starts), sorted by
   * display name, and how many match in all. Throws StationError with a directory code (shared/errors.ts).
   */
  search(query: string, limit: number): Promise<DirectorySearchResult>
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

  async search(query: string, limit: number): Promise<DirectorySearchResult> {
    const words = foldForSearch(query.trim()).split(/\s+/).filter(Boolean)
    if (words.length === 0) return { people: [], total: 0 }
    // Every word typed must start one of the person's keys ("ana sou" finds Ana Souza).
    const hits = this.people.filter((p) => {
      const keys = keysOf(p)
      return words.every((w) => keys.some((k) => k.startsWith(w)))
    })
    const people = hits
      .slice()
      .sort((a, b) => a.displayName.localeCompare(b.displayName))
      .slice(0, limit)
      .map((p) => ({ ...p }))
    return { people, total: hits.length }
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
