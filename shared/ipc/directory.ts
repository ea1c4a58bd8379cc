import { z } from 'zod'
import type { UserUuid } from '../domain/cm'
import type { DirectoryPerson, DirectorySearchResult } from '../domain/directory'
import { channel } from './define'
import { guid } from './guid'

/** `directory:lookup`: names for the GUIDs CM gives (holder, requester, approver). Unknown GUIDs are left out. */
export const directoryLookupRequest = z
  .object({
    uuids: z.array(guid<UserUuid>()).max(200),
  })
  .strict()

/**
 * `directory:search`: people by name prefix, e-mail, account or employee number (at most `limit`, sorted by display
 * name) and the number of matches in all.
 */
export const directorySearchRequest = z
  .object({ query: z.string().min(1).max(200), limit: z.number().int().min(1).max(100).default(20) })
  .strict()

/**
 * Directory channels. Without a configured directory (`app:info` `directory: false`) both answer empty, and the
 * renderer shows GUIDs and no search box (no dead controls).
 */
export const directoryChannels = {
  'directory:lookup': channel<typeof directoryLookupRequest, DirectoryPerson[]>(directoryLookupRequest),
  'directory:search': channel<typeof directorySearchRequest, DirectorySearchResult>(directorySearchRequest),
}
