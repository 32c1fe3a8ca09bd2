/**
 * A field's message names the label the person sees on the form (issue 12 item 2): every form label contains the
 * message catalogue's label for its field (tasks/domain/field-messages.ts), in both languages, so "Offer expiry is
 * required." sits under a field that says "Offer expiry".
 */
import { describe, expect, it } from 'vitest';
import { FIELD_LABELS, type FieldName } from '../../tasks/domain/field-messages.js';
import { CONSOLE_WORDS, type WordKey } from '../../web/console/words.js';
import { type MessageKey, t } from '../../web/i18n.js';
import type { Locale } from '../../workflows/contracts/index.js';

/** Each form field: its name in the catalogue and where its label's words are. */
const PUBLIC_FORMS: [FieldName, MessageKey][] = [
  ['company', 'inquiry.company'],
  ['contactName', 'inquiry.contactName'],
  ['email', 'inquiry.email'],
  ['awsAccountId', 'inquiry.awsAccountId'],
  ['plan', 'inquiry.plan'],
  ['message', 'inquiry.message'],
  ['accountName', 'buyer.register.accountName'],
  ['email', 'buyer.register.email'],
  ['email', 'buyer.login.email'],
  ['password', 'buyer.login.password'],
  ['password', 'account.setPassword.password'],
  ['confirm', 'account.setPassword.confirm'],
];
const STAFF_FORMS: [FieldName, WordKey][] = [
  ['plan', 'form.plan'],
  ['offerName', 'form.offerName'],
  ['offerDescription', 'form.offerDescription'],
  ['durationMonths', 'form.duration'],
  ['offerExpiresAt', 'form.expires'],
  ['offerExpiresAt', 'form.newExpiry'],
  ['key', 'form.dimensionKey'],
  ['price', 'form.price'],
  ['eulaUrl', 'form.eula'],
  ['manualOfferId', 'form.manualOfferId'],
  ['offerId', 'form.offerId'],
  ['notes', 'form.notes'],
  ['note', 'form.note'],
  ['reason', 'form.reason'],
  ['from', 'audit.from'],
  ['to', 'audit.to'],
  ['format', 'audit.format'],
  ['username', 'login.user'],
  ['password', 'login.password'],
];

const contains = (label: string, name: FieldName, locale: Locale) =>
  label
    .toLowerCase()
    .replace('{n}', '')
    .replace(/\s+/g, ' ')
    .includes(FIELD_LABELS[name][locale].toLowerCase());

describe('form labels and field messages', () => {
  it("every label on the buyer's, the staff's and the auditor's forms names its field as the messages do", () => {
    // Prepare
    const locales: Locale[] = ['ja', 'en'];

    // Act
    const mismatched = locales.flatMap((locale) => [
      ...PUBLIC_FORMS.filter(([name, key]) => !contains(t(locale, key), name, locale)).map(
        ([name, key]) => `${locale} ${key} "${t(locale, key)}" ≠ ${name} "${FIELD_LABELS[name][locale]}"`,
      ),
      ...STAFF_FORMS.filter(([name, key]) => !contains(String(CONSOLE_WORDS[locale][key]), name, locale)).map(
        ([name, key]) =>
          `${locale} ${key} "${String(CONSOLE_WORDS[locale][key])}" ≠ ${name} "${FIELD_LABELS[name][locale]}"`,
      ),
    ]);

    // Assess
    expect(mismatched).toEqual([]);
  });
});
