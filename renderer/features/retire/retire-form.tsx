import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components'
import { useEffect, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { CmRetirePolicyView, CmRetireResult } from '../../../shared/domain/cm'
import type { ErrorInfo } from '../../../shared/errors'
import { settle } from '../../bridge/settle'
import { errorMessage } from '../../i18n/error-message'
import { refreshCards } from '../../store/card-sync'
import { useStationContext, useStationState } from '../../store/store-context'
import { ErrorDetails } from '../common/error-details'
import type { RetireTarget } from './retire-targets'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  code: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  items: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
    margin: 0,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
})

type Policy =
  | { phase: 'loading' }
  | { phase: 'failed'; error: ErrorInfo }
  | { phase: 'loaded'; policy: CmRetirePolicyView | null }

/** The outcome of `cm:retire-card`, as the page shows it. */
export type RetireOutcome = { ok: true; result: CmRetireResult } | { ok: false; error: ErrorInfo }

/**
 * The chosen card's Retire policy (`cm:retire-policy`: comment prompt, approval, data items), a confirmation
 * dialog, then `cm:retire-card`. The outcome goes to `onDone`.
 */
export function RetireForm(props: {
  target: RetireTarget
  onDone: (outcome: RetireOutcome) => void
  /** The outcome is shown elsewhere: render only the (closed) dialog. */
  finished?: boolean
}): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { station, store } = useStationContext()
  const [policy, setPolicy] = useState<Policy>({ phase: 'loading' })
  const [comment, setComment] = useState('')
  const [items, setItems] = useState<Record<string, string>>({})
  const [open, setOpen] = useState(false)
  const [running, setRunning] = useState(false)
  const { smartcardUuid } = props.target

  useEffect(() => {
    let current = true
    void settle(() => station.cm.retirePolicy({ smartcardUuid })).then((result) => {
      if (current)
        setPolicy(
          result.ok ? { phase: 'loaded', policy: result.value } : { phase: 'failed', error: result.error },
        )
    })
    return () => {
      current = false
    }
  }, [station, smartcardUuid])

  const offered = props.target.operations === null || props.target.operations.includes('retire')
  const loaded = policy.phase === 'loaded' ? policy.policy : null
  const disabled = loaded?.enabled === false
  const canRetire = policy.phase === 'loaded' && offered && !disabled
  // Every required item of the Retire policy must be filled before the request can be sent.
  const missingItem = (loaded?.dataCollection ?? []).some((i) => i.required && !(items[i.name] ?? '').trim())
  const cardText = props.target.cardId ?? props.target.smartcardUuid

  const retire = async (): Promise<void> => {
    setOpen(false)
    setRunning(true)
    const dataCollection = (loaded?.dataCollection ?? [])
      .map((i) => ({ name: i.name, value: (items[i.name] ?? '').trim() }))
      .filter((i) => i.value !== '')
    const request = {
      smartcardUuid,
      ...(loaded?.collectComments && comment.trim() !== '' ? { comment } : {}),
      ...(dataCollection.length > 0 ? { dataCollection } : {}),
    }
    const result = await settle(() => station.cm.retireCard(request))
    setRunning(false)
    if (result.ok) refreshCards(store)
    props.onDone(result.ok ? { ok: true, result: result.value } : { ok: false, error: result.error })
  }

  // Always mounted (also once finished): a modal dialog unmounted while it closes leaves the page aria-hidden.
  const dialog = (
    <Dialog open={open} onOpenChange={(_e, data) => setOpen(data.open)}>
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>{t('retireTask.confirmTitle')}</DialogTitle>
          <DialogContent>{t('retireTask.confirmText', { card: cardText })}</DialogContent>
          <DialogActions>
            <Button appearance="primary" data-testid="retire-card-confirm" onClick={() => void retire()}>
              {t('retireTask.confirm')}
            </Button>
            <DialogTrigger disableButtonEnhancement>
              <Button>{t('retireTask.keep')}</Button>
            </DialogTrigger>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
  // One tree whether finished or not (the form in a fragment slot, the dialog after it), so React keeps the Dialog
  // mounted while it closes; once finished the form part is gone.
  return (
    <div
      className={props.finished ? undefined : styles.root}
      data-testid={props.finished ? undefined : 'retire-form'}
      data-smartcard-uuid={smartcardUuid}
    >
      {props.finished ? null : (
        <>
          <Text>
            {t('retireTask.chosen')} <code className={styles.code}>{cardText}</code>
          </Text>
          {policy.phase === 'loading' ? (
            <Spinner size="tiny" labelPosition="after" label={t('retireTask.loadingPolicy')} />
          ) : null}
          {policy.phase === 'failed' ? (
            <MessageBar intent="error">
              <MessageBarBody>
                {t('retireTask.policyFailed', { message: errorMessage(t, policy.error) })}
              </MessageBarBody>
            </MessageBar>
          ) : null}
          {!offered ? <Text data-testid="retire-not-offered">{t('retireTask.notOffered')}</Text> : null}
          {disabled ? <Text data-testid="retire-disabled">{t('retireTask.policyDisabled')}</Text> : null}
          {loaded?.needsApproval ? <Text>{t('retireTask.needsApproval')}</Text> : null}
          {canRetire && loaded && loaded.dataCollection.length > 0 ? (
            <fieldset className={styles.items} data-testid="retire-data-items">
              <legend>{t('retireTask.dataItems')}</legend>
              {loaded.dataCollection.map((item) => (
                <Field key={item.name} label={item.name} required={item.required}>
                  <Input
                    data-testid="retire-data-item"
                    data-item-name={item.name}
                    maxLength={1000}
                    value={items[item.name] ?? ''}
                    onChange={(_e, d) => setItems((all) => ({ ...all, [item.name]: d.value }))}
                  />
                </Field>
              ))}
            </fieldset>
          ) : null}
          {canRetire && loaded?.collectComments ? (
            <Field label={t('retireTask.comment')}>
              <Textarea
                data-testid="retire-comment"
                maxLength={1000}
                value={comment}
                onChange={(_e, d) => setComment(d.value)}
              />
            </Field>
          ) : null}
          {canRetire ? (
            <Button
              appearance="primary"
              data-testid="retire-card"
              disabledFocusable={running || missingItem}
              icon={running ? <Spinner size="extra-tiny" /> : null}
              onClick={() => setOpen(true)}
            >
              {t('retireTask.retire')}
            </Button>
          ) : null}
        </>
      )}
      {dialog}
    </div>
  )
}

/** The retire's outcome: retired, waiting for approval (request id), or failed (sentence + correlation id). */
export function RetireOutcomeView(props: { outcome: RetireOutcome; smartcardUuid: string }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const journaled = useStationState((s) => s.writes.list.some((w) => w.smartcardUuid === props.smartcardUuid))
  const { outcome } = props
  if (!outcome.ok) {
    return (
      <MessageBar intent="error" layout="multiline" data-testid="retire-result" data-outcome="failed">
        <MessageBarBody>
          <MessageBarTitle>{t('retireTask.failed')}</MessageBarTitle>
          <ErrorDetails
            error={outcome.error}
            testId="retire-error"
            advice={journaled ? t('retireTask.keptInJournal') : null}
          />
        </MessageBarBody>
      </MessageBar>
    )
  }
  const { result } = outcome
  return (
    <MessageBar
      intent={result.outcome === 'retired' ? 'success' : 'warning'}
      layout="multiline"
      data-testid="retire-result"
      data-outcome={result.outcome}
      data-request-id={result.requestId}
    >
      <MessageBarBody>
        <MessageBarTitle>
          {result.outcome === 'retired' ? t('retireTask.retired') : t('retireTask.awaitingApproval')}
        </MessageBarTitle>
        {t('retireTask.requestId')} <code className={styles.code}>{result.requestId}</code>
      </MessageBarBody>
    </MessageBar>
  )
}
