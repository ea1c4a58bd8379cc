import { POLICY_TYPES, matchVocabulary } from '../../../../shared/cm/enums'
import { noContent, serverError } from '../errors'
import { checkTargetUser, listReply, ok } from '../handler-types'
import type { Handler } from '../handler-types'
import { hasRight, requireRight } from '../permissions'
import { policyJson, smartcardConfigJson, templateViewJson } from '../serialize'
import type { SimTemplate } from '../model'
import type { WireWorkflowPolicy } from '../../../../shared/cm/wire-types'

/** ProfileTemplatesController, PoliciesController, SmartcardsConfigurationController (E01–E04). */

/** E01 GET /profiletemplates: the templates the caller can read; never 403 (SIM-P1). */
export const listTemplates: Handler = (ctx) => {
  checkTargetUser(ctx)
  const visible = ctx.rt.store.state.ProfileTemplates.filter((t) => hasRight(ctx.caller, t.Uuid, 'Read'))
  return listReply(ctx, visible.map(templateViewJson))
}

function readableTemplate(ctx: Parameters<Handler>[0]): SimTemplate {
  const t = ctx.rt.store.template(ctx.params.tid!)
  // ASSUMPTION OQ-02: unknown ids answer 204 (SIM-E3).
  if (!t) throw noContent('unknown template')
  requireRight(ctx.caller, t.Uuid, 'Read')
  return t
}

/** E02 GET /profiletemplates/{tid}: one ProfileTemplateLimitedView. */
// ASSUMPTION OQ-26: the undocumented E02 returns the limited view.
export const getTemplate: Handler = (ctx) => ok(templateViewJson(readableTemplate(ctx)))

/** A disabled policy for workflow types the template does not configure (CM templates carry them all). */
const DISABLED_POLICY: WireWorkflowPolicy = {
  ApprovalsNeeded: 0,
  AuthorizedApprover: [],
  AuthorizedEnrollmentAgent: [],
  AuthorizedInitiator: [],
  CollectComments: false,
  CollectRequestPriority: false,
  DefaultRequestPriority: 0,
  Documents: [],
  Enabled: false,
  EnrollAgentRequired: false,
  OneTimePasswordPolicy: null,
  Personalization: null,
  PolicyDataCollection: [],
  SelfServiceEnabled: false,
}

/** E03 GET /profiletemplates/{tid}/policies/{type} and /policy/workflow/{type} (Q3, SIM-R4). */
export const getPolicy: Handler = (ctx) => {
  const type = matchVocabulary(POLICY_TYPES, ctx.params.type!)
  // cm-rest-api.md Q3: an unknown type gives 500 (enum parsing throws).
  if (!type) throw serverError(`unknown workflow policy type '${ctx.params.type}'`)
  const t = readableTemplate(ctx)
  return ok(policyJson(t.Policies[type] ?? DISABLED_POLICY))
}

/** E04 GET /profiletemplates/{tid}/configuration/smartcards. */
export const getSmartcardConfig: Handler = (ctx) => {
  const t = readableTemplate(ctx)
  // ASSUMPTION OQ-02: a software template has no smart card configuration → 204.
  if (!t.SmartcardConfig) throw noContent('not a smart card template')
  return ok(smartcardConfigJson(t.SmartcardConfig))
}
