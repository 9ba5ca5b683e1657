import { SelectField, TextField } from '../../../components/FormField';
import { t } from '../../../i18n';
import { useAmbito } from '../../territory/api';
import { BirthPlaceLookup } from './BirthPlaceLookup';
import type { ApplicationFormApi } from './useApplicationForm';

const f = () => t.calls.form;

/** Who the application is for: identity, codice fiscale, residence and contacts. */
export function PersonFields({ form, ambitoId }: { form: ApplicationFormApi; ambitoId: string }) {
  const comuni = useAmbito(ambitoId).data?.comuni ?? [];
  return (
    <fieldset className="row">
      <legend>{f().personTitle}</legend>
      <TextField
        label={f().firstName}
        className="col-md-6"
        autoComplete="given-name"
        {...form.text('firstName')}
      />
      <TextField
        label={f().lastName}
        className="col-md-6"
        autoComplete="family-name"
        {...form.text('lastName')}
      />
      <TextField
        label={f().codiceFiscale}
        hint={f().codiceFiscaleHint}
        className="col-md-6"
        maxLength={16}
        autoCapitalize="characters"
        spellCheck={false}
        {...form.text('codiceFiscale')}
      />
      <TextField
        type="date"
        label={f().birthDate}
        className="col-md-3"
        autoComplete="bday"
        {...form.text('birthDate')}
      />
      <SelectField label={f().gender} className="col-md-3" {...form.text('gender')}>
        <option value="">{f().select}</option>
        <option value="F">{f().genders.F}</option>
        <option value="M">{f().genders.M}</option>
      </SelectField>
      <TextField
        label={f().birthPlace}
        hint={f().birthPlaceHint}
        className="col-md-6"
        maxLength={4}
        autoCapitalize="characters"
        spellCheck={false}
        {...form.text('birthPlace')}
      />
      <BirthPlaceLookup
        onFound={(code) => {
          form.setText('birthPlace', code);
          form.touch('birthPlace');
        }}
      />
      <SelectField
        label={f().residence}
        hint={f().residenceHint}
        className="col-md-6"
        {...form.text('residenceIstat')}
      >
        <option value="">{f().select}</option>
        {comuni.map((c) => (
          <option key={c.istatCode} value={c.istatCode}>
            {c.name}
          </option>
        ))}
      </SelectField>
      <TextField
        label={f().address}
        hint={f().addressHint}
        className="col-md-6"
        autoComplete="street-address"
        {...form.text('address')}
      />
      <TextField
        type="email"
        label={f().email}
        className="col-md-6"
        autoComplete="email"
        {...form.text('email')}
      />
      <TextField
        type="tel"
        label={f().phone}
        className="col-md-6"
        autoComplete="tel"
        {...form.text('phone')}
      />
    </fieldset>
  );
}
