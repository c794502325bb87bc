import type { ButtonHTMLAttributes } from 'react';
import { Spinner } from './Spinner.tsx';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'danger' | 'link';
  block?: boolean;
  /** Shows a spinner and blocks further clicks while an action is in flight. */
  busy?: boolean;
}

/** A button with the app's look; `type` defaults to "button" so it never submits a form by accident. */
export function Button({ variant = 'primary', block, busy, className, disabled, children, type = 'button', ...rest }: ButtonProps) {
  const classes = ['button', variant !== 'primary' && `button--${variant}`, block && 'button--block', className].filter(Boolean).join(' ');
  return (
    <button type={type} className={classes} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {busy && <Spinner small />}
      {children}
    </button>
  );
}
