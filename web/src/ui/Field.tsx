import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface FieldFrame {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
}

/** Wires label, hint and error to a control by id, so screen readers announce them together. */
function useFieldIds(id?: string) {
  const generated = useId();
  const controlId = id ?? generated;
  return { controlId, hintId: `${controlId}-hint`, errorId: `${controlId}-error` };
}

function describedBy(hint: unknown, error: unknown, ids: { hintId: string; errorId: string }): string | undefined {
  return [hint ? ids.hintId : null, error ? ids.errorId : null].filter(Boolean).join(' ') || undefined;
}

function Frame({ label, hint, error, ids, children }: FieldFrame & { ids: ReturnType<typeof useFieldIds>; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={ids.controlId}>{label}</label>
      {hint && (
        <span id={ids.hintId} className="field__hint">
          {hint}
        </span>
      )}
      {children}
      {error && (
        <span id={ids.errorId} className="field__error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** A labelled text input. */
export function TextField({ label, hint, error, id, ...input }: FieldFrame & InputHTMLAttributes<HTMLInputElement>) {
  const ids = useFieldIds(id);
  return (
    <Frame label={label} hint={hint} error={error} ids={ids}>
      <input id={ids.controlId} aria-invalid={error ? true : undefined} aria-describedby={describedBy(hint, error, ids)} {...input} />
    </Frame>
  );
}

/** A labelled select; `options` are value/label pairs. */
export function SelectField({ label, hint, error, id, options, ...select }: FieldFrame & SelectHTMLAttributes<HTMLSelectElement> & { options: { value: string; label: string }[] }) {
  const ids = useFieldIds(id);
  return (
    <Frame label={label} hint={hint} error={error} ids={ids}>
      <select id={ids.controlId} aria-invalid={error ? true : undefined} aria-describedby={describedBy(hint, error, ids)} {...select}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

/** A labelled multi-line input. */
export function TextAreaField({ label, hint, error, id, ...area }: FieldFrame & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const ids = useFieldIds(id);
  return (
    <Frame label={label} hint={hint} error={error} ids={ids}>
      <textarea id={ids.controlId} aria-invalid={error ? true : undefined} aria-describedby={describedBy(hint, error, ids)} {...area} />
    </Frame>
  );
}
