/**
 * A count with its noun, in the right form: "1 student", "0 students".
 * Intl.PluralRules picks the form, so a language with more than two forms
 * (Polish, Arabic) needs only more entries in `forms`, not new code.
 */
export interface PluralForms {
  one: string;
  other: string;
  zero?: string;
  two?: string;
  few?: string;
  many?: string;
}

const rules = new Intl.PluralRules("en");

/** The noun alone, in the form `n` takes. */
export function pluralNoun(n: number, forms: PluralForms): string {
  return forms[rules.select(n)] ?? forms.other;
}

/** `n` and its noun: plural(3, { one: "student", other: "students" }) is "3 students". */
export function plural(n: number, forms: PluralForms): string {
  return `${n} ${pluralNoun(n, forms)}`;
}
