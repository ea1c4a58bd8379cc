import { Text, makeStyles, mergeClasses, shorthands, tokens } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { ENROLLMENT_STEPS, type EnrollmentView } from '../../../shared/domain/enrollment'
import { VisuallyHidden } from '../common/visually-hidden'
import { statusLabel, stepLabel, type FlowStep } from './labels'

const useStyles = makeStyles({
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
    counterReset: 'step',
  },
  item: {
    display: 'flex',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalXS,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderRadius: tokens.borderRadiusCircular,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground3,
  },
  done: {
    color: tokens.colorPaletteGreenForeground1,
    ...shorthands.borderColor(tokens.colorPaletteGreenBorder1),
  },
  current: {
    color: tokens.colorNeutralForegroundOnBrand,
    backgroundColor: tokens.colorBrandBackground,
    ...shorthands.borderColor(tokens.colorBrandBackground),
    fontWeight: tokens.fontWeightSemibold,
  },
  failed: {
    color: tokens.colorNeutralForegroundOnBrand,
    backgroundColor: tokens.colorStatusDangerBackground3,
    ...shorthands.borderColor(tokens.colorStatusDangerBackground3),
  },
  mark: { fontFamily: tokens.fontFamilyMonospace },
})

/** The steps this enrollment shows: "Holder & request", then the workflow; approval only when it applies. */
export function flowSteps(withApproval: boolean): FlowStep[] {
  return ['request', ...ENROLLMENT_STEPS.filter((s) => withApproval || s !== 'approval')]
}

type ItemState = 'done' | 'current' | 'upcoming'

/**
 * Where the operator is: an ordered list of the steps, the current one marked `aria-current="step"` with its
 * status ("Waiting for you", "Failed"…); finished steps carry a check mark (and say "done" to screen readers).
 */
export function EnrollmentStepper(props: { view: EnrollmentView | null; withApproval: boolean }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { view } = props
  const steps = flowSteps(
    props.withApproval || view?.step === 'approval' || view?.lastFinishedStep === 'approval',
  )
  const current: FlowStep = view ? view.step : 'request'
  const currentIndex = steps.indexOf(current)
  const allDone = view?.status === 'done' && view.outcome === 'completed'
  const failed = view?.status === 'failed'
  return (
    <ol className={styles.list} aria-label={t('enrollment.stepsLabel')} data-testid="enrollment-stepper">
      {steps.map((step, index) => {
        const state: ItemState =
          allDone || index < currentIndex ? 'done' : index === currentIndex ? 'current' : 'upcoming'
        return (
          <li
            key={step}
            data-testid="stepper-step"
            data-step={step}
            data-state={state}
            aria-current={state === 'current' ? 'step' : undefined}
            className={mergeClasses(
              styles.item,
              state === 'done' && styles.done,
              state === 'current' && (failed ? styles.failed : styles.current),
            )}
          >
            <span className={styles.mark} aria-hidden="true">
              {state === 'done' ? '✓' : String(index + 1)}
            </span>
            <Text size={200} weight={state === 'current' ? 'semibold' : 'regular'}>
              {stepLabel(t, step)}
            </Text>
            {state === 'done' ? <VisuallyHidden>{t('enrollment.stepDone')}</VisuallyHidden> : null}
            {state === 'current' && view ? (
              <VisuallyHidden>{`, ${statusLabel(t, view)}`}</VisuallyHidden>
            ) : null}
          </li>
        )
      })}
    </ol>
  )
}
