import type { DirectoryPerson } from '../../../shared/domain/directory'
import type { ScenarioSeed } from './seed-schema'

/**
 * The people of the directory CM reads its users from (Active Directory): real CM knows every directory user by
 * GUID — an on-behalf Enroll for any of them works (cm-rest-api.md E05 `target`) — so each person becomes a CM user
 * with no rights of their own. Seed users keep their entries; a person with a seed user's GUID or account is left
 * out. SIDs are made up per position (S-1-5-21-…-7000000+i), deterministic like the rest of the seed.
 */
export function withDirectoryUsers(
  seed: ScenarioSeed,
  people: readonly DirectoryPerson[] | undefined,
): ScenarioSeed {
  if (!people || people.length === 0) return seed
  const uuids = new Set(seed.Users.map((u) => u.Uuid.toLowerCase()))
  const accounts = new Set(seed.Users.map((u) => u.Account.toLowerCase()))
  const added = people
    .filter((p) => !uuids.has(p.uuid.toLowerCase()) && !accounts.has(p.account.toLowerCase()))
    .map((p, i) => ({
      Key: `dir-${i}`,
      Uuid: p.uuid.toLowerCase(),
      Account: p.account,
      Upn: p.upn ?? '',
      DisplayName: p.displayName,
      Sid: `S-1-5-21-2127521184-1604012920-1887927527-${7_000_000 + i}`,
      Tokens: [],
      Grants: [],
    }))
  return { ...seed, Users: [...seed.Users, ...added] }
}
