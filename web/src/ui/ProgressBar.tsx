import { useId, type ReactNode } from 'react';

/**
 * A labelled progress bar (the native element, so assistive technology reads it as one): `value` out of `max` when
 * the amount of work is known, moving without a value when it is not. `detail` is the figure beside the label.
 */
export function ProgressBar({ label, value, max = 1, detail }: { label: ReactNode; value?: number | null | undefined; max?: number; detail?: ReactNode }) {
  const id = useId();
  return (
    <div className="progress">
      <div className="spread">
        <span id={id}>{label}</span>
        {detail !== undefined && <span className="muted small">{detail}</span>}
      </div>
      <progress aria-labelledby={id} max={max} {...(value !== undefined && value !== null && { value: Math.min(value, max) })} />
    </div>
  );
}
