import {
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { EnrollmentView } from '../../../shared/domain/enrollment'
import { assertNever } from '../../../shared/result'
import { retryEnrollment } from '../../store/enrollment-actions'
import { useStationContext, useStationState } from '../../store/store-context'
import { ErrorDetails } from '../common/error-details'
import { VisuallyHidden } from '../common/visually-hidden'
import { ApprovalStep } from './approval-step'
import { CardStep } from './card-step'
import { CertificateList } from './certificate-list'
import { IntentError } from './intent-error'
import { errorMessage } from '../../i18n/error-message'
import { adviceFor, statusLabel, stepLabel, workingSentence } from './labels'
import { PinStep } from './pin/pin-step'
import { RetireProgress } from './retire/retire-progress'
import { RetireStep } from './retire/retire-step'
import { Finished } from './summary'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalL },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
    marginTop: tokens.spacingVerticalS,
  },
})

/**
 * What the station is doing or what went wrong: a spinner with a sentence while a step is `working`; for
 * `waiting-retry` the failure and that the station retries by itself (Retry now); for `failed` the failure,
 * what to do next and Retry when the step is resumable. Any other error the view carries is shown too.
 */
function StatusPanel({ view }: { view: EnrollmentView }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { station, store } = useStationContext()
  const busy = useStationState((s) => s.enrollments.busy[view.requestId])
  const retry = (label: string): ReactNode => (
    <div className={styles.actions}>
      <Button
        appearance="primary"
        data-testid="retry-step"
        disabledFocusable={busy !== undefined}
        icon={busy === 'retry' ? <Spinner size="extra-tiny" /> : null}
        onClick={() => void retryEnrollment(station, store, view.requestId)}
      >
        {label}
      </Button>
    </div>
  )
  if (view.status === 'working') {
    return (
      <Spinner
        size="small"
        labelPosition="after"
        label={workingSentence(t, view.step)}
        data-testid="enrollment-working"
      />
    )
  }
  if (!view.error) return null
  if (view.status === 'waiting-retry') {
    return (
      <MessageBar intent="warning" layout="multiline" data-testid="enrollment-waiting">
        <MessageBarBody>
          <MessageBarTitle>{t('enrollment.waitingRetry', { step: stepLabel(t, view.step) })}</MessageBarTitle>
          <ErrorDetails
            error={view.error}
            testId="enrollment-error"
            advice={t('enrollment.retriesAutomatically')}
          />
          {retry(t('enrollment.retryNow'))}
        </MessageBarBody>
      </MessageBar>
    )
  }
  const failed = view.status === 'failed'
  return (
    <MessageBar intent={failed ? 'error' : 'warning'} layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>
          {failed ? t('enrollment.stepFailed', { step: stepLabel(t, view.step) }) : t('enrollment.refused')}
        </MessageBarTitle>
        <ErrorDetails error={view.error} testId="enrollment-error" advice={adviceFor(t, view)} />
        {failed && view.resumable ? retry(t('enrollment.retry')) : null}
      </MessageBarBody>
    </MessageBar>
  )
}

/** The step's own content (prompts, lists); the status panel above says what the station is doing. */
function StepContent({ view }: { view: EnrollmentView }): ReactNode {
  // A card step that lost its card (pulled, station restarted) waits for THE same card, whatever the step.
  if (view.prompt === 'insert-card') return <CardStep view={view} />
  // The certificate step needs the card's PIN and the station holds none (restart, expiry, refused PIN).
  if (view.prompt === 'holder-enters-pin') return <PinStep view={view} />
  switch (view.step) {
    case 'approval':
      return <ApprovalStep view={view} />
    case 'card':
      return <CardStep view={view} />
    case 'bind':
    case 'admin-key':
      return null
    case 'pin':
      return <PinStep view={view} />
    case 'certificates':
      return <CertificateList certificates={view.certificates} issues={view.certificateIssues} />
    case 'retire':
      return <RetireStep view={view} />
    case 'complete':
      return view.retire.length > 0 ? <RetireProgress items={view.retire} /> : null
    default:
      return assertNever(view.step)
  }
}

/**
 * One sentence for assistive technology: the step and what it waits for, or the failure. It lives in a status region
 * that stays mounted, so each change (the station moved on by itself, a step failed) is announced politely.
 */
function announcement(t: ReturnType<typeof useTranslation>['t'], view: EnrollmentView): string {
  const step = stepLabel(t, view.step)
  if (view.status === 'working') return `${step}: ${workingSentence(t, view.step)}`
  const status = `${step}: ${statusLabel(t, view)}`
  return view.error ? `${status}. ${errorMessage(t, view.error)}` : status
}

/** The enrollment after "Holder & request": status, the step's content, or the summary once finished. */
export function FlowBody({ view }: { view: EnrollmentView }): ReactNode {
  const styles = useStyles()
  const { t } = useTranslation()
  return (
    <div className={styles.root}>
      <VisuallyHidden live testId="enrollment-announcer">
        {announcement(t, view)}
      </VisuallyHidden>
      {view.status === 'done' ? (
        <Finished view={view} />
      ) : (
        <>
          <StatusPanel view={view} />
          {view.card && view.step !== 'card' ? (
            <Text size={200} data-testid="enrollment-card">
              {t('enrollment.cardInReader', { cardId: view.card.cardId, reader: view.card.reader })}
            </Text>
          ) : null}
          <StepContent view={view} />
        </>
      )}
      <IntentError requestId={view.requestId} viewError={view.status === 'done' ? null : view.error} />
    </div>
  )
}
