/** Shared components: import from 'web/src/ui/index.ts' rather than from the single files. */
export { Alert } from './Alert.tsx';
export { Button, type ButtonProps } from './Button.tsx';
export { Card } from './Card.tsx';
export { ErrorView } from './ErrorView.tsx';
export { SelectField, TextAreaField, TextField } from './Field.tsx';
export { LanguageSwitch } from './LanguageSwitch.tsx';
export { DateText, Money } from './Money.tsx';
export { Loading, Spinner } from './Spinner.tsx';
export { ProgressBar } from './ProgressBar.tsx';
