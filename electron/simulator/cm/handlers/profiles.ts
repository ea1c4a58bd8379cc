import {
  PROFILE_QUERY_STATUSES,
  PROFILE_STATUS,
  enumValueOf,
  matchVocabulary,
} from '../../../../shared/cm/enums'
import { noContent, serverError } from '../errors'
import { listReply, ok } from '../handler-types'
import type { Handler, HandlerContext } from '../handler-types'
import type { SimProfile } from '../model'
import { allowedOperations, requireRead } from '../permissions'
import { profileJson } from '../serialize'

/** ProfilesController and OperationsController's profile route (E19, E23–E25). */

function operationsOf(ctx: HandlerContext, p: SimProfile): string[] {
  const template = ctx.rt.store.template(p.ProfileTemplateUuid)
  return template ? allowedOperations(ctx.caller, template, 'profile', p.Status, p.AssignedUserUuid) : []
}

function readableProfile(ctx: HandlerContext, id: string): SimProfile {
  const p = ctx.rt.store.profile(id)
  if (!p) throw noContent('unknown profile')
  requireRead(ctx.caller, [p.AssignedUserUuid], p.ProfileTemplateUuid)
  return p
}

/** E19 GET /profiles/{pid}/operations. */
export const profileOperations: Handler = (ctx) =>
  ok(operationsOf(ctx, readableProfile(ctx, ctx.params.pid!)))

/** E23 GET /profiles[?status=]: the caller's profiles. */
export const listProfiles: Handler = (ctx) => {
  const statusName = ctx.query.get('status')
  let wanted: number | null | undefined
  if (statusName !== undefined) {
    const canon = matchVocabulary(PROFILE_QUERY_STATUSES, statusName)
    if (!canon) throw serverError(`unknown profile status '${statusName}'`)
    // ASSUMPTION OQ-11: only Active (2) is a known profile status; the request-status names match nothing.
    wanted = enumValueOf(PROFILE_STATUS, canon) ?? null
  }
  const mine = ctx.rt.store.state.Profiles.filter(
    (p) => p.AssignedUserUuid === ctx.caller.Uuid && (wanted === undefined || p.Status === wanted),
  )
  return listReply(
    ctx,
    mine.map((p) => profileJson(p, operationsOf(ctx, p))),
  )
}

/** E24 GET /profiles/{pid}. */
export const getProfile: Handler = (ctx) => {
  const p = readableProfile(ctx, ctx.params.pid!)
  return ok(profileJson(p, operationsOf(ctx, p)))
}

/** E25 GET /requests/{rid}/profiles[/{pid}]: the profiles a request creates or acts on. */
// ASSUMPTION OQ-26-like: E25 is undocumented; an array of the request's New/Old profiles, or one by id.
export const requestProfiles: Handler = (ctx) => {
  const r = ctx.rt.store.request(ctx.params.rid!)
  if (!r) throw noContent('unknown request')
  const ids = [...new Set([r.NewProfileUuid, r.OldProfileUuid])]
  const profiles = ids.map((id) => ctx.rt.store.profile(id)).filter((p): p is SimProfile => p !== undefined)
  for (const p of profiles)
    requireRead(ctx.caller, [p.AssignedUserUuid, r.OriginatorUserUuid], p.ProfileTemplateUuid)
  if (ctx.params.pid !== undefined) {
    const one = profiles.find((p) => p.Uuid === ctx.params.pid)
    if (!one) throw noContent('the profile is not part of the request')
    return ok(profileJson(one, operationsOf(ctx, one)))
  }
  return listReply(
    ctx,
    profiles.map((p) => profileJson(p, operationsOf(ctx, p))),
  )
}
