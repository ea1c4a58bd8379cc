/**
 * Outcomes a handler can throw instead of returning a body. The server turns them into the Web API
 * shaped responses of cm-rest-api.md §1.7 (500 + correlation id, 403, 204, 404).
 */
export type SimFailureKind =
  /** Unhandled exception → 500 with a correlation id (OQ-01). */
  | 'server-error'
  /** Business rule broken → `businessRuleStatus` (500 by default, OQ-33). */
  | 'business-rule'
  /** Caller lacks the right → 403 (§7.3). */
  | 'forbidden'
  /** Nothing to return → 204 (OQ-02). */
  | 'no-content'
  /** Web API action selection failed (e.g. a required query parameter is missing, OQ-20). */
  | 'route-not-found'

/** A handler outcome that is not a normal body. `detail` is for the message and the control API's log. */
export class SimFailure extends Error {
  constructor(
    readonly kind: SimFailureKind,
    readonly detail = '',
  ) {
    super(`${kind}${detail ? ': ' + detail : ''}`)
  }
}

/** 500: malformed input that would make the real server throw. */
export const serverError = (detail: string): SimFailure => new SimFailure('server-error', detail)
/** 500 (or the configured status): the operation is not allowed in this state. */
export const businessRule = (detail: string): SimFailure => new SimFailure('business-rule', detail)
/** 403. */
export const forbidden = (detail = ''): SimFailure => new SimFailure('forbidden', detail)
/** 204. */
export const noContent = (detail = ''): SimFailure => new SimFailure('no-content', detail)
/** 404 with the Web API "No HTTP resource" text. */
export const routeNotFound = (detail = ''): SimFailure => new SimFailure('route-not-found', detail)
