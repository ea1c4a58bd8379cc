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

/** Text for screen readers only (a state a sighted user reads from colour or a check mark). */
export function VisuallyHidden(props: { children: ReactNode }): ReactNode {
  return <span className={useStyles().hidden}>{props.children}</span>
}
