import { normCardId, parseGuidLenient } from './guid'
import type { SimProfile, SimRequest, SimSmartcard, SimState, SimTemplate, SimUser } from './model'

/** Lookups over SimState; GUID arguments may be in any case or braced. */
export class SimStore {
  constructor(public state: SimState) {}

  /** A user by Uuid. */
  user(uuid: string): SimUser | undefined {
    const id = parseGuidLenient(uuid)
    return this.state.Users.find((u) => u.Uuid === id)
  }

  /** A user by account (`CORP\jdoe`), seed key (`u-self`) or UPN, case-insensitively. */
  userByName(name: string): SimUser | undefined {
    const n = name.trim().toLowerCase()
    return this.state.Users.find(
      (u) =>
        u.Account.toLowerCase() === n ||
        u.Key.toLowerCase() === n ||
        (u.Upn !== '' && u.Upn.toLowerCase() === n),
    )
  }

  /** A profile template by Uuid. */
  template(uuid: string): SimTemplate | undefined {
    const id = parseGuidLenient(uuid)
    return this.state.ProfileTemplates.find((t) => t.Uuid === id)
  }

  /** A smart card by its CM Uuid. */
  card(uuid: string): SimSmartcard | undefined {
    const id = parseGuidLenient(uuid)
    return this.state.Smartcards.find((c) => c.Uuid === id)
  }

  /** Every card profile carrying this CardID (re-issued cards share one, Q6). */
  cardsByCardId(cardId: string): SimSmartcard[] {
    const n = normCardId(cardId)
    return this.state.Smartcards.filter((c) => normCardId(c.SerialNumber) === n)
  }

  /** A request by Uuid. */
  request(uuid: string): SimRequest | undefined {
    const id = parseGuidLenient(uuid)
    return this.state.Requests.find((r) => r.Uuid === id)
  }

  /** A profile by Uuid. */
  profile(uuid: string): SimProfile | undefined {
    const id = parseGuidLenient(uuid)
    return this.state.Profiles.find((p) => p.Uuid === id)
  }
}
