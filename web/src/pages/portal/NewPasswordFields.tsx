/** A new password typed twice, with the rule checked live beside it. */
import { Field, TextInput } from '../../components/ui';
import { useI18n } from '../../i18n';
import { PasswordRule } from './PasswordRule';

export function NewPasswordFields(props: {
  password: string;
  confirmation: string;
  onPassword(v: string): void;
  onConfirmation(v: string): void;
  errorAt(field: string): string | undefined;
  label?: string;
}) {
  const { t } = useI18n();
  return (
    <>
      <Field label={props.label ?? t('Mật khẩu', 'Password')} required error={props.errorAt('password')}>
        <TextInput name="password" type="password" autoComplete="new-password" value={props.password} onChange={(e) => props.onPassword(e.target.value)} />
      </Field>
      <Field label={t('Nhập lại mật khẩu', 'Repeat the password')} required error={props.errorAt('passwordConfirm')}>
        <TextInput name="passwordConfirm" type="password" autoComplete="new-password" value={props.confirmation} onChange={(e) => props.onConfirmation(e.target.value)} />
      </Field>
      <PasswordRule password={props.password} confirmation={props.confirmation} />
    </>
  );
}
