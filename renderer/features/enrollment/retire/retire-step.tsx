import {
  Button,
  Checkbox,
  Field,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components'
import { useEffect, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { SmartcardUuid } from '../../../../shared/domain/cm'
import type { EnrollmentView, RetireCandidateView } from '../../../../shared/domain/enrollment'
import type { ErrorInfo } from '../../../../shared/errors'
import { settle } from '../../../bridge/settle'
import { errorMessage } from '../../../i18n/error-message'
import { retireOldCards } from '../../../store/enrollment-actions'
import { useStationContext, useStationState } from '../../../store/store-context'
import { statusLabel } from '../../cards/card-labels'
import { TemplateName } from '../template-name'
import { RetireProgress } from './retire-progress'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalXS,
  },
  item: {
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  fixed: {
    display: 'flex',
    flexDirection: 'column',
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
  },
  muted: { color: tokens.colorNeutralForeground3 },
  code: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
})

type Load =
  | { phase: 'loading' }
  | { phase: 'failed'; error: ErrorInfo }
  | { phase: 'loaded'; candidates: RetireCandidateView[] }

function CandidateLabel({ candidate }: { candidate: RetireCandidateView }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  return (
    <span>
      <code className={styles.code}>{candidate.cardId ?? candidate.smartcardUuid}</code>
      {' — '}
      {statusLabel(t, { ...candidate.status, confidence: undefined })}
      {' — '}
      <TemplateName templateId={candidate.templateId} />
    </span>
  )
}

/**
 * Prompt `confirm-retire`: the holder's other cards (`enrollment:list-retire-candidates`) as a checklist, Active
 * ones preselected; a card CM does not let this operator retire is listed without a checkbox, with the reason.
 * "Retire selected and complete" (or "Complete without retiring") → `enrollment:retire-old-cards`.
 */
function RetireChecklist({ view }: { view: EnrollmentView }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { station, store } = useStationContext()
  const busy = useStationState((s) => s.enrollments.busy[view.requestId])
  const [load, setLoad] = useState<Load>({ phase: 'loading' })
  const [selected, setSelected] = useState<ReadonlySet<SmartcardUuid>>(new Set())
  const [comment, setComment] = useState('')
  const [attempt, setAttempt] = useState(0)
  const { requestId } = view

  useEffect(() => {
    let current = true
    void settle(() => station.enrollment.listRetireCandidates({ requestId })).then((result) => {
      if (!current) return
      if (!result.ok) return setLoad({ phase: 'failed', error: result.error })
      setLoad({ phase: 'loaded', candidates: result.value })
      setSelected(
        new Set(
          result.value.filter((c) => c.canRetire && c.status.name === 'Active').map((c) => c.smartcardUuid),
        ),
      )
    })
    return () => {
      current = false
    }
  }, [station, requestId, attempt])

  if (load.phase === 'loading')
    return <Spinner size="small" labelPosition="after" label={t('retire.loading')} />
  if (load.phase === 'failed') {
    return (
      <MessageBar intent="error" layout="multiline" data-testid="retire-candidates-error">
        <MessageBarBody>
          {t('retire.loadFailed', { message: errorMessage(t, load.error) })}{' '}
          <Button
            size="small"
            onClick={() => {
              setLoad({ phase: 'loading' })
              setAttempt((n) => n + 1)
            }}
          >
            {t('common.tryAgain')}
          </Button>
        </MessageBarBody>
      </MessageBar>
    )
  }
  const toggle = (uuid: SmartcardUuid, on: boolean): void => {
    setSelected((old) => {
      const next = new Set(old)
      if (on) next.add(uuid)
      else next.delete(uuid)
      return next
    })
  }
  const retirable = load.candidates.filter((c) => c.canRetire)
  return (
    <div className={styles.root} data-testid="retire-step">
      <Text weight="semibold" size={400}>
        {t('retire.heading')}
      </Text>
      {load.candidates.length === 0 ? (
        <Text data-testid="retire-none">{t('retire.none')}</Text>
      ) : (
        <ul className={styles.list} aria-label={t('retire.listLabel')}>
          {load.candidates.map((candidate) => (
            <li
              key={candidate.smartcardUuid}
              className={styles.item}
              data-testid="retire-candidate"
              data-smartcard-uuid={candidate.smartcardUuid}
              data-can-retire={String(candidate.canRetire)}
            >
              {candidate.canRetire ? (
                <Checkbox
                  checked={selected.has(candidate.smartcardUuid)}
                  onChange={(_e, data) => toggle(candidate.smartcardUuid, data.checked === true)}
                  label={<CandidateLabel candidate={candidate} />}
                />
              ) : (
                <div className={styles.fixed}>
                  <CandidateLabel candidate={candidate} />
                  <Text size={200} className={styles.muted}>
                    {t('retire.notAllowed')}
                  </Text>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {retirable.length > 0 ? (
        <Field label={t('retire.comment')}>
          <Textarea value={comment} maxLength={1000} onChange={(_e, data) => setComment(data.value)} />
        </Field>
      ) : null}
      <div className={styles.actions}>
        <Button
          appearance="primary"
          data-testid="retire-confirm"
          disabledFocusable={busy !== undefined}
          icon={busy === 'retire-old-cards' ? <Spinner size="extra-tiny" /> : null}
          onClick={() =>
            void retireOldCards(station, store, requestId, [...selected], selected.size > 0 ? comment : '')
          }
        >
          {selected.size > 0 ? t('retire.confirm', { n: selected.size }) : t('retire.completeOnly')}
        </Button>
      </div>
    </div>
  )
}

/** Step `retire`: the checklist while CM waits for the operator's choice, then the progress of the retires. */
export function RetireStep({ view }: { view: EnrollmentView }): ReactNode {
  if (view.prompt === 'confirm-retire') return <RetireChecklist view={view} />
  return view.retire.length > 0 ? <RetireProgress items={view.retire} /> : null
}
