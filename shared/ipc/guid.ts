import { z } from 'zod'
import { normalizeGuid } from '../domain/cm'

/**
 * GUID text from the renderer: bounded, any case, optional braces → lower case (cm-rest-api.md §1.2: send lower
 * case, compare case-insensitively). `T` is the branded id type the handler receives.
 */
export function guid<T extends string>() {
  return z
    .string()
    .max(40)
    .refine((s) => normalizeGuid(s) !== null, 'not a GUID')
    .transform((s) => normalizeGuid(s) as T)
}
