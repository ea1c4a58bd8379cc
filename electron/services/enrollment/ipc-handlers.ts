import type { z } from 'zod'
import type { ChannelDef } from '../../../shared/ipc/define'
import type { enrollmentChannels, EnrollmentSetPinResult } from '../../../shared/ipc/enrollment'
import { StationError } from '../../../shared/errors'
import { ENROLLMENT_STEPS, type EnrollmentView } from '../../../shared/domain/enrollment'
import type { EnrollmentService } from './service'

type EnrChannels = typeof enrollmentChannels
type Req<C extends keyof EnrChannels> = z.output<EnrChannels[C]['request']>
type Res<C extends keyof EnrChannels> = EnrChannels[C] extends ChannelDef<z.ZodType, infer R> ? R : never

/** Handlers of the `enrollment:*` channels, in the router's `Handlers` style. */
export type EnrollmentHandlers = { [C in keyof EnrChannels]: (request: Req<C>) => Promise<Res<C>> }

/** True once the PIN step is behind the enrollment (the PIN is on the card). */
function pinStepFinished(view: EnrollmentView): boolean {
  const last = view.lastFinishedStep
  return last !== null && ENROLLMENT_STEPS.indexOf(last) >= ENROLLMENT_STEPS.indexOf('pin')
}

/**
 * Build the `enrollment:*` handlers. `service: null` means no CM is reachable from this station (every call fails
 * `cm-not-configured`). The PIN crosses IPC in exactly two places: the server PIN in the `enrollment:set-pin`
 * response that must show it, and the holder's PIN in the request that sets it (plus `enrollment:provide-pin` after a
 * restart, when the station holds none). The router never logs payloads; the log sink redacts `pin` keys.
 */
export function createEnrollmentHandlers(service: EnrollmentService | null): EnrollmentHandlers {
  const s = (): EnrollmentService => {
    if (!service) throw new StationError('cm-not-configured')
    return service
  }
  return {
    async 'enrollment:list-templates'() {
      return s().listTemplates()
    },
    async 'enrollment:list-approved-requests'() {
      return s().listApprovedRequests()
    },
    async 'enrollment:list'() {
      return service ? service.list() : []
    },
    async 'enrollment:get'({ requestId }) {
      return s().get(requestId)
    },
    async 'enrollment:start'(input) {
      return s().begin(input)
    },
    async 'enrollment:use-card'({ requestId, reader }) {
      return (await s().intent(requestId, { type: 'use-card', reader })).view
    },
    async 'enrollment:set-pin'({ requestId, pin }) {
      if (pin !== undefined) {
        const view = await s().setHolderPin(requestId, pin)
        const result: EnrollmentSetPinResult = pinStepFinished(view)
          ? { kind: 'holder-set', view }
          : { kind: 'not-set', view }
        return result
      }
      const { view, serverPin } = await s().intent(requestId, { type: 'set-pin', withPin: false })
      // The kind follows what happened, not what was asked: a step that failed (card pulled, CM error) is not-set.
      const result: EnrollmentSetPinResult =
        serverPin !== undefined
          ? { kind: 'server', pin: serverPin, view }
          : view.prompt === 'holder-chooses-pin'
            ? { kind: 'holder-chooses', view }
            : { kind: 'not-set', view }
      return result
    },
    async 'enrollment:acknowledge-pin'({ requestId }) {
      return (await s().intent(requestId, { type: 'acknowledge-pin' })).view
    },
    async 'enrollment:provide-pin'({ requestId, pin }) {
      return s().providePin(requestId, pin)
    },
    async 'enrollment:list-retire-candidates'({ requestId }) {
      return s().listRetireCandidates(requestId)
    },
    async 'enrollment:retire-old-cards'({ requestId, smartcardUuids, comment }) {
      return s().retireOldCards(requestId, smartcardUuids, comment)
    },
    async 'enrollment:retry'({ requestId }) {
      return (await s().intent(requestId, { type: 'retry' })).view
    },
    async 'enrollment:cancel'({ requestId }) {
      return (await s().intent(requestId, { type: 'cancel' })).view
    },
    async 'enrollment:dismiss'({ requestId }) {
      await s().dismiss(requestId)
      return null
    },
    async 'enrollment:release-pins'() {
      // No CM, no enrollment, no PIN: nothing to release.
      service?.releasePins()
      return null
    },
  }
}
