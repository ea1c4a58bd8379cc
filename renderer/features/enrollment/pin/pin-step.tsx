import { Button, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { EnrollmentView } from '../../../../shared/domain/enrollment'
import { effectivePinRules, pinCardKind, type PinRules } from '../../../../shared/domain/pin-rules'
import { acknowledgePin, providePin, setPin } from '../../../store/enrollment-actions'
import { useStationContext, useStationState } from '../../../store/store-context'
import { useTemplate } from '../template-name'
import { HolderPinEntry } from './holder-pin-entry'
import { ProvidePin } from './provide-pin'
import { ServerPin } from './server-pin'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
})

/** The enrollment's rules; before main reports them, the card kind's own limits (main enforces either way). */
function useRules(view: EnrollmentView): PinRules {
  const template = useTemplate(view.templateId)
  return (
    view.pinRules ??
    template?.pinRules ??
    effectivePinRules({
      policy: null,
      cardKind: pinCardKind({ atr: view.card?.atr ?? null, virtualSmartcardTemplate: false }),
      stationMinLength: 0,
    })
  )
}

/**
 * Step `pin`. On prompt `start-pin` it calls `enrollment:set-pin` once, by itself. A server PIN in the answer is
 * kept in THIS component's state only (never the store, never a log), shown per `pinDisplay`, and dropped when the
 * holder has noted it or the step is left (unmount). Then the holder's own PIN entry (`holder-chooses-pin`) or,
 * after a restart, the PIN of the card (`holder-enters-pin`).
 */
export function PinStep({ view }: { view: EnrollmentView }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { station, store } = useStationContext()
  const policy = useStationState((s) => s.app.info?.pinDisplay ?? 'never')
  const busy = useStationState((s) => s.enrollments.busy[view.requestId])
  const setPinFailed = useStationState(
    (s) => s.enrollments.actionErrors[view.requestId]?.intent === 'set-pin',
  )
  const rules = useRules(view)
  const [serverPin, setServerPin] = useState<string | null>(null)
  const requested = useRef(false)
  const mounted = useRef(false)
  const { requestId, prompt } = view

  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
    }
  }, [])

  const askServer = (): void => {
    requested.current = true
    void setPin(station, store, requestId).then((result) => {
      // Not sent (another intent of this enrollment was still running): the effect asks again once it is idle.
      if (result === null) requested.current = false
      // An answer after the step was left is dropped: nobody is there to read it.
      if (mounted.current && result?.ok && result.value.kind === 'server') setServerPin(result.value.pin)
    })
  }

  const idle = busy === undefined
  useEffect(() => {
    // Once per visit of the step (a ref, so React's development double effects do not call it twice), and only
    // when no other intent of this enrollment is in flight (the event can arrive before use-card's own answer).
    if (prompt === 'start-pin' && idle && !requested.current) askServer()
    // askServer is recreated every render; the prompt and idleness are what start it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [prompt, idle])

  if (serverPin !== null) {
    return (
      <div className={styles.root}>
        <ServerPin
          pin={serverPin}
          policy={policy}
          busy={busy !== undefined}
          onNoted={() => {
            setServerPin(null)
            void acknowledgePin(station, store, requestId)
          }}
        />
      </div>
    )
  }

  switch (prompt) {
    case 'start-pin':
      // Only after the automatic call failed: the operator starts it again once the cause is fixed.
      return setPinFailed && busy === undefined ? (
        <Button appearance="primary" data-testid="start-pin" onClick={askServer}>
          {t('pin.start')}
        </Button>
      ) : (
        <Spinner size="small" labelPosition="after" label={t('enrollment.working.pin')} />
      )
    case 'note-pin':
      // The PIN was shown once and this page no longer holds it (the step was left, or the station restarted).
      return (
        <div className={styles.root}>
          <Text data-testid="pin-gone">{t('pin.server.gone')}</Text>
          {/* set-pin at note-pin asks CM again (E16) and sets that PIN on the card, so card and display agree. */}
          <Button data-testid="pin-again" disabledFocusable={busy !== undefined} onClick={askServer}>
            {t('pin.server.again')}
          </Button>
          <Button
            appearance="primary"
            data-testid="pin-noted"
            disabledFocusable={busy !== undefined}
            onClick={() => void acknowledgePin(station, store, requestId)}
          >
            {t('pin.server.noted')}
          </Button>
        </div>
      )
    case 'holder-chooses-pin':
      return (
        <HolderPinEntry
          rules={rules}
          busy={busy !== undefined}
          onSubmit={(pin) => void setPin(station, store, requestId, pin)}
        />
      )
    case 'holder-enters-pin':
      return (
        <ProvidePin
          busy={busy !== undefined}
          onSubmit={(pin) => void providePin(station, store, requestId, pin)}
        />
      )
    default:
      return null
  }
}
