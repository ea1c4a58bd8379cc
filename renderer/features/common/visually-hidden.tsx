import { makeStyles } from '@fluentui/react-components'
import type { ReactNode } from 'react'

const useStyles = makeStyles({
  hidden: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    margin: '-1px',
    padding: 0,
    overflow: 'hidden',
    clipPath: 'inset(50%)',
    whiteSpace: 'nowrap',
    border: 0,
  },
})

/**
 * Text for screen readers only (a state a sighted user reads from colour or a check mark). With `live`, a polite
 * status region that stays mounted, so each change of its text is announced.
 */
export function VisuallyHidden(props: { children: ReactNode; live?: boolean; testId?: string }): ReactNode {
  const className = useStyles().hidden
  return props.live ? (
    <div role="status" aria-live="polite" className={className} data-testid={props.testId}>
      {props.children}
    </div>
  ) : (
    <span className={className} data-testid={props.testId}>
      {props.children}
    </span>
  )
}
