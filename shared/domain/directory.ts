import type { UserUuid } from './cm'

/**
 * A person as the directory knows them (issue "Find the holder"): CM REST knows holders only by GUID, so names come
 * from the directory the CM server uses. JSON-plain; never a credential.
 */
export interface DirectoryPerson {
  /** The GUID text exactly as CM writes it (lower case, no braces): AD `objectGUID` / the simulator's user Uuid. */
  uuid: UserUuid
  displayName: string
  /** `DOMAIN\user`. */
  account: string
  /** UPN, or null. */
  upn: string | null
  email: string | null
  department: string | null
  employeeNumber: string | null
}

/** One page of a directory search: the first people by display name, and how many match in all. */
export interface DirectorySearchResult {
  people: DirectoryPerson[]
  /** Every match (≥ people.length): "20 of 640 shown — type more". */
  total: number
}
